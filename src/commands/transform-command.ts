import * as v from "valibot";
import { ConnectError } from "../api/errors.ts";
import { loadPropertiesFile } from "../runtime/config/properties-file.ts";
import { DryRun, DryRunRecord, type DryRunResult } from "../runtime/pipeline/dry-run.ts";

import { PluginRegistry } from "../runtime/plugins/plugin-registry.ts";
import { readTopic } from "./topic-reader.ts";
import { type ProgressMode, stdinFileSize, type TransformProgress, transformProgress } from "./transform-progress.ts";
import { BUNDLED_PLUGINS } from "./worker/bundled-plugins.ts";

/**
 * Lines of stdin, split at `\n` only (a trailing `\r` dropped), as they arrive: one array per chunk read, so a
 * batch is whatever is there already (a whole file at once, or one line typed by hand), with the bytes read for it.
 * node:readline would also split at U+2028 and U+2029, which JSON allows unescaped inside strings, and cut such a
 * record in two.
 */
async function* stdinLineChunks(): AsyncGenerator<{ lines: string[]; bytes: number }> {
  const decoder = new TextDecoder();
  let pending = "";
  let bytes = 0;
  for await (const chunk of process.stdin as AsyncIterable<Uint8Array>) {
    pending += decoder.decode(chunk, { stream: true });
    bytes += chunk.byteLength;
    const lines = pending.split("\n");
    pending = lines.pop() ?? "";
    if (lines.length > 0) {
      yield { lines: lines.map((line) => line.replace(/\r$/, "")), bytes };
      bytes = 0;
    }
  }
  pending += decoder.decode();
  if (pending !== "" || bytes > 0) yield { lines: pending === "" ? [] : [pending.replace(/\r$/, "")], bytes };
}

/** Where an input problem is: the line of stdin, and the field when valibot names one. */
function describeIssue(lineNumber: number, issues: v.BaseIssue<unknown>[]): string {
  const issue = issues[0];
  const path = issue?.path?.map((p) => String(p.key)).join(".");
  return `stdin line ${lineNumber}${path ? `, field ${path}` : ""}: ${issue?.message ?? "invalid record"}`;
}

/** Where `sluice transform` reads its records: stdin (JSON lines) unless a topic is given. */
export interface TransformSource {
  /** Read this topic's records (from the start of each partition to its end as of now) instead of stdin. */
  readonly topic?: string;
  readonly bootstrapServers?: string;
  readonly maxRecords?: number;
}

export interface TransformDisplay {
  /** `--progress`: whether a progress line is drawn on stderr (see transform-progress.ts); `auto` by default. */
  readonly progress?: ProgressMode;
}

/**
 * `sluice transform <connector.properties>`: reads records (one JSON object per line) from stdin, or a topic's
 * records from Kafka with `--topic`, and writes what the connector's converters and transforms make of them, so a
 * chain can be tried before it is deployed. A record the chain drops writes no line; a failing record writes
 * `{"error","stage","offset"}`, and the command goes on only with `errors.tolerance=all`. Exit codes: 0 done, 1 a
 * record failed (tolerance none), 2 bad configuration or input. A progress line goes to stderr as `--progress` says
 * (transform-progress.ts), advanced once per batch.
 */
export async function runTransformCommand(
  connectorFile: string,
  source: TransformSource = {},
  display: TransformDisplay = {},
): Promise<number> {
  let dryRun: DryRun;
  try {
    const config = await loadPropertiesFile(connectorFile);
    const plugins = await PluginRegistry.load(
      (config["plugin.path"] ?? "")
        .split(",")
        .map((p) => p.trim())
        .filter(Boolean),
      BUNDLED_PLUGINS,
    );
    dryRun = new DryRun(config, plugins);
  } catch (error) {
    console.error(`sluice: ${connectorFile}: ${error instanceof ConnectError ? error.message : String(error)}`);
    return 2;
  }
  const mode = display.progress ?? "auto";
  if (source.topic !== undefined) {
    const progress = transformProgress({ mode });
    try {
      return await transformTopic(dryRun, { ...source, topic: source.topic }, progress);
    } finally {
      progress.stop();
      dryRun.close();
    }
  }
  const progress = transformProgress({ mode, totalBytes: stdinFileSize() });
  /** An error for stderr, on a line of its own below the progress line (which is final by then). */
  const report = (message: string) => {
    progress.stop();
    console.error(`sluice: ${message}`);
  };
  const run = dryRun;
  const batch: DryRunRecord[] = [];
  const batchLines: number[] = [];
  /** Bytes of stdin read for the records of `batch`, counted with them. */
  let batchBytes = 0;
  /** Runs the records read so far, writes what they became; the exit code when the run must stop there. */
  const runBatch = async (): Promise<number | null> => {
    const out: string[] = [];
    const results = await run.runBatch(batch);
    progress.advance(results.length, batchBytes);
    batchBytes = 0;
    let stop: number | null = null;
    for (let i = 0; i < results.length && stop === null; i++) {
      const result = results[i] as DryRunResult;
      if ("record" in result) out.push(JSON.stringify(result.record));
      else if ("failure" in result) {
        out.push(JSON.stringify(result.failure));
        if (!run.tolerateAll) {
          report(`stdin line ${batchLines[i]}: ${result.failure.error} (errors.tolerance=none stops here)`);
          stop = 1;
        }
      }
    }
    if (out.length > 0) process.stdout.write(`${out.join("\n")}\n`);
    batch.length = 0;
    batchLines.length = 0;
    return stop;
  };
  let lineNumber = 0;
  try {
    for await (const { lines, bytes } of stdinLineChunks()) {
      batchBytes += bytes;
      for (const line of lines) {
        lineNumber++;
        if (line.trim() === "") continue;
        let json: unknown;
        try {
          json = JSON.parse(line);
        } catch (error) {
          const stopped = await runBatch();
          if (stopped !== null) return stopped;
          report(`stdin line ${lineNumber}: not JSON: ${(error as Error).message}`);
          return 2;
        }
        const parsed = v.safeParse(DryRunRecord, json);
        if (!parsed.success) {
          const stopped = await runBatch();
          if (stopped !== null) return stopped;
          report(describeIssue(lineNumber, parsed.issues));
          return 2;
        }
        batch.push(parsed.output);
        batchLines.push(lineNumber);
      }
      const stopped = await runBatch();
      if (stopped !== null) return stopped;
    }
    return (await runBatch()) ?? 0;
  } finally {
    progress.stop();
    dryRun.close();
  }
}

/** `--topic`: the topic's records through the dry run, written as the stdin mode writes them. */
async function transformTopic(
  run: DryRun,
  source: TransformSource & { readonly topic: string },
  progress: TransformProgress,
): Promise<number> {
  try {
    for await (const messages of readTopic({
      topic: source.topic,
      bootstrapServers: source.bootstrapServers ?? "localhost:9092",
      maxRecords: source.maxRecords,
    })) {
      const results = await run.runMessages(messages);
      const out: string[] = [];
      for (let i = 0; i < results.length; i++) {
        const result = results[i] as DryRunResult;
        if ("record" in result) out.push(JSON.stringify(result.record));
        else if ("failure" in result) {
          out.push(JSON.stringify(result.failure));
          if (!run.tolerateAll) {
            const message = messages[i];
            process.stdout.write(`${out.join("\n")}\n`);
            progress.stop();
            console.error(
              `sluice: topic ${message?.topic} partition ${message?.partition} offset ${message?.offset}: ${result.failure.error} (errors.tolerance=none stops here)`,
            );
            return 1;
          }
        }
      }
      if (out.length > 0) process.stdout.write(`${out.join("\n")}\n`);
      progress.advance(messages.length, 0);
    }
    return 0;
  } catch (error) {
    progress.stop();
    console.error(`sluice: ${error instanceof Error ? error.message : String(error)}`);
    return 2;
  }
}
