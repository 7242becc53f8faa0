/**
 * Builds the Schema Registry with Maven, once per machine: fetch Apicurio's app jar, take its web.xml and
 * application.properties into a Maven project of our own, patch the properties, and let Quarkus package it. The
 * build runs in a fresh folder whose `quarkus-app/` replaces the cached one only once complete and marked, under a
 * lock: two starts at once build once, and an interrupted build never looks finished.
 */
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { join } from "node:path";
import { ConnectError } from "../api/errors.ts";
import { requireCommand, runLogged } from "./external-programs.ts";
import { withFileLock } from "./file-lock.ts";
import { replaceDir } from "./kafka-jars.ts";
import { say, withLogTail } from "./say.ts";
import type { RegistryBuild } from "./schema-registry-layout.ts";
import {
  APICURIO_APP_ARTIFACT,
  APICURIO_VERSION,
  patchApplicationProperties,
  pomXml,
  recipeId,
} from "./schema-registry-layout.ts";

export function registryBuilt(build: RegistryBuild): boolean {
  if (!existsSync(build.marker) || !existsSync(build.runJar)) return false;
  return readFileSync(build.marker, "utf8").trim() === recipeId();
}

export interface EnsureRegistryBuildOptions {
  /** The Maven to run (tests pass a stand-in). */
  mvn?: string;
}

/** Makes sure `build.app` holds a runnable registry; resolves with whether this call built it. */
export async function ensureRegistryBuild(
  build: RegistryBuild,
  options: EnsureRegistryBuildOptions = {},
): Promise<{ builtNow: boolean }> {
  if (registryBuilt(build)) return { builtNow: false };
  const mvn = options.mvn ?? requireCommand("mvn", "maven");
  return withFileLock(
    build.lockFile,
    async () => {
      // Whoever held the lock before us may just have built it.
      if (registryBuilt(build)) return { builtNow: false };
      await buildLocked(build, mvn);
      return { builtNow: true };
    },
    { onWait: () => say("another process is building the Schema Registry; waiting for it…") },
  );
}

async function buildLocked(build: RegistryBuild, mvn: string): Promise<void> {
  say(`building Apicurio Registry ${APICURIO_VERSION} through Maven (first run only, about a minute)…`);
  const started = Date.now();
  removeLeftovers(build);
  const project = join(build.home, `build.tmp-${process.pid}`);
  mkdirSync(project, { recursive: true });
  writeFileSync(build.log, "");
  const fail = (why: string): never => {
    rmSync(project, { recursive: true, force: true });
    throw new ConnectError(withLogTail(`building the Schema Registry failed: ${why}.`, build.log), {
      code: "REGISTRY_BUILD_FAILED",
    });
  };

  // The app jar alone: its transitive dependencies would send Maven to Confluent's repository, which Central's
  // mirrors do not reach. Runs before pom.xml exists, so that Maven works outside any project.
  const unpacked = join(project, "unpacked");
  const fetched = await runLogged(
    mvn,
    [
      "-B",
      "-ntp",
      "dependency:get",
      "dependency:unpack",
      `-Dartifact=${APICURIO_APP_ARTIFACT}`,
      "-Dtransitive=false",
      "-Dmdep.unpack.includes=META-INF/web.xml,application.properties",
      `-DoutputDirectory=${unpacked}`,
    ],
    { cwd: project, logPath: build.log },
  );
  if (fetched !== 0) fail(`fetching ${APICURIO_APP_ARTIFACT} (mvn dependency:get) exited with code ${fetched}`);
  const webXml = join(unpacked, "META-INF", "web.xml");
  const properties = join(unpacked, "application.properties");
  for (const file of [webXml, properties]) {
    if (!existsSync(file)) fail(`${file} was not extracted from ${APICURIO_APP_ARTIFACT}`);
  }
  const patched = patchApplicationProperties(readFileSync(properties, "utf8"));
  if (patched === undefined) {
    fail(`${properties} has no \`%prod.quarkus.package.type=legacy-jar\` line: not the file this recipe patches`);
  }
  const resources = join(project, "src", "main", "resources");
  mkdirSync(join(resources, "META-INF"), { recursive: true });
  copyFileSync(webXml, join(resources, "META-INF", "web.xml"));
  writeFileSync(join(resources, "application.properties"), patched as string);
  writeFileSync(join(project, "pom.xml"), pomXml());

  // -DskipDefault turns off the parent pom's Confluent and jitpack repositories, which are unreachable.
  const packaged = await runLogged(mvn, ["-B", "-ntp", "-DskipDefault", "package"], {
    cwd: project,
    logPath: build.log,
  });
  if (packaged !== 0) fail(`mvn package exited with code ${packaged}`);
  const app = join(project, "target", "quarkus-app");
  if (!existsSync(join(app, "quarkus-run.jar"))) fail(`${join(app, "quarkus-run.jar")} is missing from its output`);
  writeFileSync(join(app, ".sluice-complete"), `${recipeId()}\n`);
  const fresh = `${build.app}.tmp-${process.pid}`;
  rmSync(fresh, { recursive: true, force: true });
  renameSync(app, fresh);
  replaceDir(build.app, fresh);
  rmSync(project, { recursive: true, force: true });
  const seconds = ((Date.now() - started) / 1000).toFixed(0);
  say(`built the Schema Registry in ${seconds} s into ${build.app} (log: ${build.log})`);
}

/** Folders of builds that were interrupted (Ctrl-C, a killed CI job): 100-300 MB each. The caller holds the lock. */
function removeLeftovers(build: RegistryBuild): void {
  if (!existsSync(build.home)) return;
  for (const name of readdirSync(build.home)) {
    if (/^(build|quarkus-app)\.tmp-\d+$/.test(name)) rmSync(join(build.home, name), { recursive: true, force: true });
  }
}
