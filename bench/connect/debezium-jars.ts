/**
 * Debezium's PostgreSQL source and JDBC sink connectors, the reference for sluice's own CDC source and JDBC sink:
 * fetched from Maven Central once into `<cache>/debezium-3.6.1.Final/plugins`, one subfolder per connector, the
 * shape Kafka Connect's `plugin.path` loads each connector from in a class loader of its own. Staged and locked like
 * Connect's own jars (connect-jars.ts), since the cache is shared by every clone on the machine.
 */
import { existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { ConnectError } from "../../src/api/errors.ts";
import { requireCommand, runLogged } from "../../src/dev/external-programs.ts";
import { withFileLock } from "../../src/dev/file-lock.ts";
import { replaceDir } from "../../src/dev/kafka-jars.ts";
import { withLogTail } from "../../src/dev/say.ts";
import { sluiceCacheDir } from "../../src/kafka/native-build.ts";

export const DEBEZIUM_VERSION = "3.6.1.Final";

/** Bumped when the folders' contents change, so that a cache filled by an older version of this file is refetched. */
const LAYOUT_REVISION = 2;

/**
 * Maven Central as this project reaches it serves no debezium-connector-jdbc 3.6.1.Final; 3.6.0.Final is the
 * nearest release that resolves. Between the two only the PostgreSQL dialect's array and vector column types changed
 * (ArrayType, *VectorType, TsvectorType), so comparisons of array columns in the sink should keep that in mind.
 */
export const DEBEZIUM_JDBC_VERSION = "3.6.0.Final";

/**
 * The JDBC sink's Hibernate connection pool module. Debezium 3.6 names it by its old group id
 * (`org.hibernate:hibernate-agroal` 7.2.6.Final, a relocation), which is not served; the relocated artifact resolves
 * from 7.2.19.Final on. Hibernate core stays Debezium's own 7.2.6.Final: it writes the SQL, the pool only hands out
 * connections.
 */
const HIBERNATE_AGROAL_VERSION = "7.2.19.Final";

/** A connector's plugin subfolder and the jar that proves a fetch complete. */
export interface DebeziumPlugin {
  readonly folder: string;
  readonly artifact: string;
  readonly version: string;
}

export const POSTGRES_PLUGIN: DebeziumPlugin = {
  folder: "debezium-connector-postgres",
  artifact: "debezium-connector-postgres",
  version: DEBEZIUM_VERSION,
};

export const JDBC_PLUGIN: DebeziumPlugin = {
  folder: "debezium-connector-jdbc",
  artifact: "debezium-connector-jdbc",
  version: DEBEZIUM_JDBC_VERSION,
};

export interface DebeziumLayout {
  /** `<cache>/debezium-3.6.1.Final`. */
  readonly home: string;
  /** The folder to put on `plugin.path`: one subfolder per connector. */
  readonly plugins: string;
}

export function debeziumLayout(cacheDir: string = sluiceCacheDir()): DebeziumLayout {
  const home = join(cacheDir, `debezium-${DEBEZIUM_VERSION}`);
  return { home, plugins: join(home, "plugins") };
}

/**
 * Left out of every plugin folder, as Debezium's own plugin archives leave them out (its assembly descriptor
 * `connector-distribution.xml`): Kafka's artifacts (and, through the wildcard, what kafka-clients drags in: lz4,
 * snappy, zstd) and SLF4J, which Connect provides to every plugin, and Jackson, which must come from Connect's
 * classpath too: with a second copy in the plugin's class loader, Connect's JsonConverter and Debezium's classes
 * disagree on JsonNode (CloudEventsConverter fails to load) and Hibernate's ServiceLoader finds Connect's Jdk8Module
 * "not a subtype" of the plugin's Module (the JDBC sink's task fails to start).
 */
const ALWAYS_EXCLUDED: readonly (readonly [string, string])[] = [
  ["org.apache.kafka", "*"],
  ["org.slf4j", "*"],
  ["com.fasterxml.jackson.core", "jackson-core"],
  ["com.fasterxml.jackson.core", "jackson-databind"],
  ["com.fasterxml.jackson.core", "jackson-annotations"],
  ["com.fasterxml.jackson.datatype", "jackson-datatype-jsr310"],
  ["com.google.guava", "listenablefuture"],
  ["org.checkerframework", "checker-qual"],
];
/**
 * Debezium's JDBC sink archive ships MySQL, MariaDB, SQL Server and Oracle drivers too; only PostgreSQL's is kept
 * (the others are 12 MB that no comparison here uses).
 */
const OTHER_JDBC_DRIVERS: readonly (readonly [string, string])[] = [
  ["com.mysql", "*"],
  ["org.mariadb.jdbc", "*"],
  ["com.microsoft.sqlserver", "*"],
  ["com.oracle.database.jdbc", "*"],
];
/** Replaced by the relocated artifact (HIBERNATE_AGROAL_VERSION says why). */
const UNSERVED_RELOCATION: readonly [string, string] = ["org.hibernate", "hibernate-agroal"];

function dependency(
  group: string,
  artifact: string,
  version: string,
  exclusions: readonly (readonly [string, string])[],
) {
  const excluded = exclusions
    .map(([g, a]) => `<exclusion><groupId>${g}</groupId><artifactId>${a}</artifactId></exclusion>`)
    .join("");
  const tail = exclusions.length === 0 ? "" : `<exclusions>${excluded}</exclusions>`;
  return `    <dependency><groupId>${group}</groupId><artifactId>${artifact}</artifactId><version>${version}</version>${tail}</dependency>`;
}

export function pomXml(plugin: DebeziumPlugin): string {
  const isJdbc = plugin === JDBC_PLUGIN;
  const exclusions = isJdbc ? [...ALWAYS_EXCLUDED, ...OTHER_JDBC_DRIVERS, UNSERVED_RELOCATION] : ALWAYS_EXCLUDED;
  const dependencies = [dependency("io.debezium", plugin.artifact, plugin.version, exclusions)];
  if (isJdbc) {
    dependencies.push(dependency("org.hibernate.orm", "hibernate-agroal", HIBERNATE_AGROAL_VERSION, ALWAYS_EXCLUDED));
  }
  return `<?xml version="1.0" encoding="UTF-8"?>
<!-- Written by sluice (bench/connect/debezium-jars.ts): the ${plugin.folder} plugin for Kafka Connect. -->
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>sluice</groupId>
  <artifactId>${plugin.folder}-plugin</artifactId>
  <version>1</version>
  <packaging>pom</packaging>
  <dependencies>
${dependencies.join("\n")}
  </dependencies>
</project>
`;
}

const MARKER = `.sluice-complete-${LAYOUT_REVISION}`;

/** Jars each plugin folder must hold for the fetch to count: the connector and what it cannot run without. */
export function requiredJars(plugin: DebeziumPlugin): string[] {
  const own = `${plugin.artifact}-${plugin.version}.jar`;
  if (plugin === JDBC_PLUGIN) return [own, "hibernate-core-", "hibernate-agroal-", "postgresql-"];
  return [own, "postgresql-"];
}

function missingJars(folder: string, plugin: DebeziumPlugin): string[] {
  const present = existsSync(folder) ? readdirSync(folder) : [];
  return requiredJars(plugin).filter((prefix) => !present.some((name) => name.startsWith(prefix)));
}

/** Makes sure both connectors' folders are in `layout.plugins`; fetches them (seconds to a minute) on first use. */
export async function ensureDebeziumJars(
  layout: DebeziumLayout = debeziumLayout(),
  options: { say?: (message: string) => void; mvn?: string } = {},
): Promise<DebeziumLayout> {
  const say = options.say ?? (() => {});
  if (existsSync(join(layout.plugins, MARKER))) return layout;
  mkdirSync(layout.home, { recursive: true });
  await withFileLock(join(layout.home, "fetch.lock"), async () => {
    if (existsSync(join(layout.plugins, MARKER))) return;
    const mvn = options.mvn ?? requireCommand("mvn", "maven");
    say(`fetching Debezium ${DEBEZIUM_VERSION} connectors through Maven (first run only)…`);
    const staging = `${layout.plugins}.tmp-${process.pid}`;
    rmSync(staging, { recursive: true, force: true });
    const log = join(layout.home, "mvn.log");
    writeFileSync(log, "");
    for (const plugin of [POSTGRES_PLUGIN, JDBC_PLUGIN]) {
      const pom = join(layout.home, `${plugin.folder}.pom.xml`);
      writeFileSync(pom, pomXml(plugin));
      const out = join(staging, plugin.folder);
      const args = ["-q", "-B", "-f", pom, "dependency:copy-dependencies", "-DincludeScope=runtime"];
      const code = await runLogged(mvn, [...args, `-DoutputDirectory=${out}`], { cwd: layout.home, logPath: log });
      const missing = missingJars(out, plugin);
      if (code !== 0 || missing.length > 0) {
        rmSync(staging, { recursive: true, force: true });
        const why = code !== 0 ? `mvn exited with code ${code}` : `${missing.join(", ")} missing from its output`;
        throw new ConnectError(withLogTail(`fetching ${plugin.artifact} ${plugin.version} failed: ${why}.`, log), {
          code: "DEBEZIUM_FETCH_FAILED",
        });
      }
    }
    writeFileSync(join(staging, MARKER), `${DEBEZIUM_VERSION}\n`);
    replaceDir(layout.plugins, staging);
    say(`fetched Debezium's connectors into ${layout.plugins}`);
  });
  return layout;
}
