/**
 * The install step for sluice's native pieces: librdkafka, built from the source bundled in
 * @confluentinc/kafka-javascript (pinned, so every machine gets the same librdkafka), with the Node.js addon built
 * alongside for the Node adapter. The build runs once per machine into kafkaJavascriptBuildDir() and is shared by
 * every clone; bun:ffi then opens librdkafkaPath().
 *
 *   bun src/dev/setup.ts [--quiet]              (also `bun run setup`, and the first step of `bun run test`)
 *
 * The build happens in a temporary folder that replaces the build folder only once complete and marked so, under
 * a file lock: two setups at once build once, and an interrupted build never looks finished.
 */

import { dlopen } from "bun:ffi";
import { existsSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import { ConfigError, ConnectError } from "../api/errors.ts";
import {
  KAFKA_JAVASCRIPT_VERSION,
  kafkaJavascriptBuildDir,
  kafkaJavascriptPackageDir,
  librdkafkaPath,
  sluiceCacheDir,
} from "../kafka/native-build.ts";
import { runLogged, systemPath, systemWhich } from "./external-programs.ts";
import { withFileLock } from "./file-lock.ts";
import { replaceDir } from "./kafka-jars.ts";
import { ensureNativePrerequisites, nodePrefix } from "./native-prereqs.ts";
import { say, withLogTail } from "./say.ts";

export interface NativeBuild {
  /** The shared librdkafka for bun:ffi. */
  librdkafka: string;
  /** The Node.js addon (used by the Node adapter only). */
  addon: string;
  /** Whether this call built it. */
  builtNow: boolean;
}

const MARKER = ".sluice-build-complete";

/** The Node addon inside a build folder. */
export function kafkaJavascriptAddonPath(packageDir: string = kafkaJavascriptPackageDir()): string {
  return join(packageDir, "build", "Release", "confluent-kafka-javascript.node");
}

export function nativeBuildLogPath(): string {
  return join(sluiceCacheDir(), `kafka-javascript-${KAFKA_JAVASCRIPT_VERSION}.build.log`);
}

/** Builds librdkafka unless a complete build is there already (fast: two file checks). */
export async function ensureNativeBuild({ quiet = false }: { quiet?: boolean } = {}): Promise<NativeBuild> {
  const addon = kafkaJavascriptAddonPath();
  const override = process.env.SLUICE_LIBRDKAFKA;
  if (override) {
    // A librdkafka of the user's choosing: nothing to build, but it must exist.
    if (!existsSync(override)) {
      throw new ConfigError(`SLUICE_LIBRDKAFKA is set to ${override}, which does not exist`, {
        key: "SLUICE_LIBRDKAFKA",
      });
    }
    if (!quiet) say(`using librdkafka from SLUICE_LIBRDKAFKA: ${override}`);
    return { librdkafka: override, addon, builtNow: false };
  }
  const done = (builtNow: boolean): NativeBuild => {
    if (!quiet && !builtNow) say(`librdkafka is built: ${librdkafkaPath()}`);
    return { librdkafka: librdkafkaPath(), addon, builtNow };
  };
  if (buildComplete(kafkaJavascriptBuildDir())) return done(false);

  mkdirSync(sluiceCacheDir(), { recursive: true });
  return withFileLock(
    `${kafkaJavascriptBuildDir()}.lock`,
    async () => {
      // Whoever held the lock before us may just have built it.
      if (buildComplete(kafkaJavascriptBuildDir()) || adoptUnmarkedBuild()) return done(false);
      await buildInto(kafkaJavascriptBuildDir());
      return done(true);
    },
    { onWait: () => say("another process is building librdkafka; waiting for it…") },
  );
}

function buildComplete(buildDir: string): boolean {
  return existsSync(join(buildDir, MARKER)) && existsSync(librdkafkaPath());
}

/**
 * A build finished before markers existed (or by hand, with the same command) is as good as ours: accept it when
 * both artifacts are there and librdkafka really loads, rather than spending minutes rebuilding it.
 */
function adoptUnmarkedBuild(): boolean {
  if (!existsSync(librdkafkaPath()) || !existsSync(kafkaJavascriptAddonPath())) return false;
  try {
    const lib = dlopen(librdkafkaPath(), { rd_kafka_version: { args: [], returns: "i32" } });
    const version = lib.symbols.rd_kafka_version();
    lib.close();
    if (version <= 0) return false;
  } catch {
    return false;
  }
  writeMarker(kafkaJavascriptBuildDir());
  return true;
}

function writeMarker(buildDir: string): void {
  writeFileSync(
    join(buildDir, MARKER),
    `${JSON.stringify({ package: `@confluentinc/kafka-javascript@${KAFKA_JAVASCRIPT_VERSION}`, at: new Date().toISOString() })}\n`,
  );
}

async function buildInto(buildDir: string): Promise<void> {
  await ensureNativePrerequisites();
  const npm = systemWhich("npm");
  if (npm === null) throw new ConnectError("npm is not installed", { code: "COMMAND_MISSING" });
  const logPath = nativeBuildLogPath();
  writeFileSync(logPath, "");
  say(
    `building librdkafka from @confluentinc/kafka-javascript@${KAFKA_JAVASCRIPT_VERSION} (first run only, about 2-3 minutes; log: ${logPath})…`,
  );
  const started = Date.now();
  const staging = `${buildDir}.tmp-${process.pid}`;
  rmSync(staging, { recursive: true, force: true });
  mkdirSync(staging, { recursive: true });
  writeFileSync(join(staging, "package.json"), '{"name":"sluice-native-build","private":true}\n');
  const code = await runLogged(
    npm,
    [
      "install",
      "--no-audit",
      "--no-fund",
      // Show the compiler's output in the log (npm hides install scripts' output otherwise).
      "--foreground-scripts",
      `@confluentinc/kafka-javascript@${KAFKA_JAVASCRIPT_VERSION}`,
    ],
    { cwd: staging, env: buildEnv(), logPath },
  );
  const packageDir = join(staging, relative(buildDir, kafkaJavascriptPackageDir()));
  const librdkafka = join(packageDir, "build", "deps", "librdkafka.so.1");
  if (code !== 0 || !existsSync(librdkafka) || !existsSync(kafkaJavascriptAddonPath(packageDir))) {
    rmSync(staging, { recursive: true, force: true });
    const why = code !== 0 ? `npm install exited with code ${code}` : "npm install left no librdkafka.so.1 or addon";
    throw new ConnectError(withLogTail(`building librdkafka failed: ${why}.`, logPath), {
      code: "NATIVE_BUILD_FAILED",
    });
  }
  writeMarker(staging);
  replaceDir(buildDir, staging);
  say(`built librdkafka in ${Math.round((Date.now() - started) / 1000)} s: ${librdkafkaPath()}`);
}

/** The environment of the npm build. */
function buildEnv(): Record<string, string | undefined> {
  const env: Record<string, string | undefined> = { ...process.env, PATH: systemPath() };
  // `bun run` describes its own script to children in npm_* variables; npm would take npm_config_local_prefix as
  // its project folder and install into the clone. User settings (npm_config_registry, …) are kept.
  for (const key of Object.keys(env)) {
    if (
      /^npm_(lifecycle_|package_|command$|execpath$|node_execpath$|config_local_prefix$|config_user_agent$)/.test(key)
    )
      delete env[key];
  }
  // Link librdkafka against the system's OpenSSL, zstd, curl…: the default static build downloads their sources.
  env.CKJS_LINKING = "dynamic";
  // No prebuilt binary can be downloaded here (GitHub), and Bun needs none: go straight to the source build.
  env.npm_config_build_from_source = "true";
  // node-gyp downloads Node.js headers unless told where they are; use those of the Node.js that runs it.
  const prefix = nodePrefix();
  if (!env.npm_config_nodedir && prefix !== undefined && existsSync(join(prefix, "include", "node", "node.h"))) {
    env.npm_config_nodedir = prefix;
  }
  return env;
}

if (import.meta.main) {
  try {
    await ensureNativeBuild({ quiet: process.argv.includes("--quiet") });
  } catch (error) {
    console.error(`sluice: ${error instanceof ConnectError ? error.message : String(error)}`);
    process.exit(1);
  }
}
