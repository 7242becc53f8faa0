import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { PluginManifest } from "../index.ts";
import { uniqueTopic, withAdmin } from "./kit-kafka.ts";
import { expectPluginFolderExports } from "./plugin-folder.ts";
import { RoundTripFailure } from "./round-trip-failure.ts";
import { bootstrapOf, DEFAULT_TIMEOUT_MS, type RoundTripOptions } from "./round-trip-options.ts";
import { roundTripWorkerProps } from "./round-trip-worker.ts";

/** What one round trip works with: a fresh topic, a connector named after it, a folder for the worker's files. */
export interface RoundTripSetup {
  readonly className: string;
  readonly bootstrap: string;
  readonly timeoutMs: number;
  readonly partitions: number;
  readonly topic: string;
  /** The connector's name: the topic's, so that a leftover of a failed run is easy to match with its topic. */
  readonly name: string;
  readonly workerProps: Readonly<Record<string, string>>;
  /** Deletes the topic (kept when the run failed, for a look at what arrived) and the worker's folder. */
  cleanUp(succeeded: boolean): Promise<void>;
}

/** Checks the plugin folder, creates the topic and the worker's folder. */
export async function setUpRoundTrip(
  manifest: PluginManifest,
  expectedType: "source" | "sink",
  options: RoundTripOptions,
): Promise<RoundTripSetup> {
  if (manifest.type !== expectedType) {
    throw new RoundTripFailure(manifest.className, `a ${manifest.type} plugin cannot run a ${expectedType} round trip`);
  }
  await expectPluginFolderExports(options.pluginPath, manifest);
  const bootstrap = bootstrapOf(options);
  const partitions = options.partitions ?? 1;
  const topic = uniqueTopic(manifest.className);
  await withAdmin(bootstrap, (admin) =>
    admin.createTopics([{ topic, numPartitions: partitions, replicationFactor: -1 }], { timeoutMs: 30_000 }),
  ).catch((error: unknown) => {
    throw new RoundTripFailure(manifest.className, `cannot create the topic ${topic} on ${bootstrap}: ${error}`, {
      cause: error,
    });
  });
  const dir = mkdtempSync(join(tmpdir(), "sluice-round-trip-"));
  return {
    className: manifest.className,
    bootstrap,
    timeoutMs: options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
    partitions,
    topic,
    name: topic,
    workerProps: roundTripWorkerProps(bootstrap, dir, options.pluginPath, options.workerProps),
    async cleanUp(succeeded) {
      rmSync(dir, { recursive: true, force: true });
      if (succeeded) await withAdmin(bootstrap, (admin) => admin.deleteTopics([topic])).catch(() => undefined);
    },
  };
}
