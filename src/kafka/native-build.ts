/**
 * Where the native librdkafka build lives. librdkafka comes from @confluentinc/kafka-javascript's bundled, pinned
 * source, built once with CKJS_LINKING=dynamic into a cache folder outside the clone (see src/dev/setup.ts), so
 * every clone and CI run on the machine shares one build. The same build also yields the Node.js addon that the
 * `node/` adapter loads when sluice runs on Node.js.
 */
import { homedir } from "node:os";
import { join } from "node:path";

export const KAFKA_JAVASCRIPT_VERSION = "1.10.1";

/** `$SLUICE_CACHE_DIR`, else `$XDG_CACHE_HOME/sluice`, else `~/.cache/sluice`. */
export function sluiceCacheDir(): string {
  const env = process.env;
  if (env.SLUICE_CACHE_DIR) return env.SLUICE_CACHE_DIR;
  return join(env.XDG_CACHE_HOME || join(homedir(), ".cache"), "sluice");
}

/** The folder in which `npm install @confluentinc/kafka-javascript` is run for the build. */
export function kafkaJavascriptBuildDir(): string {
  return join(sluiceCacheDir(), `kafka-javascript-${KAFKA_JAVASCRIPT_VERSION}`);
}

/** The installed @confluentinc/kafka-javascript package (its `build/` holds the addon and librdkafka). */
export function kafkaJavascriptPackageDir(): string {
  return join(kafkaJavascriptBuildDir(), "node_modules", "@confluentinc", "kafka-javascript");
}

/** The shared librdkafka that bun:ffi opens; `$SLUICE_LIBRDKAFKA` overrides it. */
export function librdkafkaPath(): string {
  return process.env.SLUICE_LIBRDKAFKA || join(kafkaJavascriptPackageDir(), "build", "deps", "librdkafka.so.1");
}
