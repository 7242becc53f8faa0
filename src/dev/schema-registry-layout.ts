/**
 * Where the development Schema Registry lives and how it runs. The build (131 MB) is under sluiceCacheDir(), outside
 * the clone, so that every clone and CI run on a machine shares one build and one running registry.
 *
 * It is Apicurio Registry 2.4.2.Final, which serves Confluent's REST API under /apis/ccompat/v7: Confluent's own
 * server is not on the Maven Central that our machines reach, and 2.4.2 is the newest Apicurio that can be
 * assembled from it (see pomXml() below).
 */
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { sluiceCacheDir } from "../kafka/native-build.ts";

export const APICURIO_VERSION = "2.4.2.Final";
export const APICURIO_APP_ARTIFACT = `io.apicurio:apicurio-registry-app:${APICURIO_VERSION}`;
export const REGISTRY_HOST = "127.0.0.1";
export const REGISTRY_PORT = 8081;
/** The Confluent-compatible base URL: what a converter's `schema.registry.url` names. */
export const SCHEMA_REGISTRY_URL = `http://${REGISTRY_HOST}:${REGISTRY_PORT}/apis/ccompat/v7`;

/** The Maven project that assembles the registry; shared by every registry that runs on the machine. */
export interface RegistryBuild {
  /** `<cache>/apicurio-registry-2.4.2.Final`. */
  home: string;
  /** The runnable Quarkus application (`quarkus-app/`, a fast-jar). */
  app: string;
  runJar: string;
  /** Written into `app` after a complete build, holding recipeId(); absent or different means "build again". */
  marker: string;
  /** Maven's output for the last build. */
  log: string;
  /** Held while building, so that concurrent starts build once. */
  lockFile: string;
}

export interface RegistryLayout {
  host: string;
  port: number;
  /** The Confluent-compatible base URL, `http://host:port/apis/ccompat/v7`. */
  url: string;
  build: RegistryBuild;
  /** `<cache>/schema-registry-data`: the database, log and pid of the running registry. */
  dataDir: string;
  /** The H2 database's JDBC URL: on disk, so that schema ids survive a restart (Apicurio's default is in memory). */
  datasourceUrl: string;
  /** The registry's output; the previous run's is kept as `registry.log.1`. */
  logFile: string;
  pidFile: string;
  lockFile: string;
  /** Removed before a start, written once that start has set the global compatibility to BACKWARD. */
  compatibilityMarker: string;
}

export function registryBuild(cacheDir: string = sluiceCacheDir()): RegistryBuild {
  const home = join(cacheDir, `apicurio-registry-${APICURIO_VERSION}`);
  const app = join(home, "quarkus-app");
  return {
    home,
    app,
    runJar: join(app, "quarkus-run.jar"),
    marker: join(app, ".sluice-complete"),
    log: join(home, "build.log"),
    lockFile: join(home, "build.lock"),
  };
}

/** The development registry's layout; tests pass another cache dir and port to run a registry of their own. */
export function registryLayout(cacheDir: string = sluiceCacheDir(), port: number = REGISTRY_PORT): RegistryLayout {
  const dataDir = join(cacheDir, "schema-registry-data");
  return {
    host: REGISTRY_HOST,
    port,
    url: `http://${REGISTRY_HOST}:${port}/apis/ccompat/v7`,
    build: registryBuild(cacheDir),
    dataDir,
    // WRITE_DELAY=0: H2 writes each commit at once instead of within 500 ms, so a registry killed (SIGKILL, OOM)
    // right after a register keeps the id it answered (measured: 3 of 3 lost without it, 0 of 3 with it).
    datasourceUrl: `jdbc:h2:file:${join(dataDir, "registry_db")};WRITE_DELAY=0`,
    logFile: join(dataDir, "registry.log"),
    pidFile: join(dataDir, "registry.pid"),
    lockFile: join(dataDir, "registry.lock"),
    compatibilityMarker: join(dataDir, "compatibility-backward-set"),
  };
}

/**
 * The Maven project (src/dev/schema-registry/pom.xml): Apicurio's app jar with its own dependency management, the
 * two artifacts that Central lacks swapped for ones it has, and Quarkus's build plugin.
 */
export function pomXml(): string {
  return readFileSync(new URL("./schema-registry/pom.xml", import.meta.url), "utf8");
}

const PACKAGE_TYPE_LINE = "%prod.quarkus.package.type=legacy-jar";

/**
 * The app jar's own application.properties, made buildable: a fast-jar instead of the legacy jar, and an index of
 * the app jar, which has no Jandex index of its own (without one Quarkus fails with "Unsatisfied dependency …
 * DynamicConfigStorageAccessor"). Undefined when the file is not the one this recipe knows.
 */
export function patchApplicationProperties(text: string): string | undefined {
  if (!text.split("\n").some((line) => line.trim() === PACKAGE_TYPE_LINE)) return undefined;
  const patched = text
    .split("\n")
    .map((line) => (line.trim() === PACKAGE_TYPE_LINE ? "%prod.quarkus.package.type=fast-jar" : line))
    .join("\n");
  return `${patched.trimEnd()}

# Added by sluice (src/dev/schema-registry-layout.ts): the app jar has no Jandex index.
quarkus.index-dependency.registry-app.group-id=io.apicurio
quarkus.index-dependency.registry-app.artifact-id=apicurio-registry-app
`;
}

/** Names this recipe (version, pom, patch): a build made by another recipe is rebuilt. */
export function recipeId(): string {
  const recipe = [APICURIO_VERSION, pomXml(), patchApplicationProperties(PACKAGE_TYPE_LINE)].join("\0");
  return createHash("sha256").update(recipe).digest("hex").slice(0, 16);
}

/**
 * The JVM's arguments. A small heap, the serial collector and C1 only: the registry then answers about 4 s after
 * its start with an RSS near 190 MB, where the defaults take longer and twice the memory. The data folder is on
 * the command line so that a pid can be told to be this registry's (pids get reused).
 */
export function jvmArguments(layout: RegistryLayout): string[] {
  return [
    "-Xmx256m",
    "-XX:+UseSerialGC",
    "-XX:TieredStopAtLevel=1",
    `-Dquarkus.http.port=${layout.port}`,
    `-Dquarkus.http.host=${layout.host}`,
    `-Dsluice.registry.data=${layout.dataDir}`,
    "-jar",
    layout.build.runJar,
  ];
}
