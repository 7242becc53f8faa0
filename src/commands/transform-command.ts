import * as v from "valibot";
import { ConnectError } from "../api/errors.ts";
import { loadPropertiesFile } from "../runtime/config/properties-file.ts";
import { DryRun, DryRunRecord } from "../runtime/dry-run.ts";
import { PluginRegistry } from "../runtime/plugin-registry.ts";

/**
 * Lines of stdin, split at `\n` only (a trailing `\r` dropped). node:readline also splits at U+2028 and U+2029,
 * which JSON allows unescaped inside strings, and would cut such a record in two.
 */
async function* stdinLines(): AsyncGenerator<string> {
  const decoder = new TextDecoder();
  let pending = "";
  for await (const chunk of process.stdin as AsyncIterable<Uint8Array>) {
    pending += decoder.decode(chunk, { stream: true });
    let start = 0;
    for (let end = pending.indexOf("\n"); end !== -1; end = pending.indexOf("\n", start)) {
      yield pending.slice(start, end).replace(/\r$/, "");
      start = end + 1;
    }
    pending = pending.slice(start);
  }
  pending += decoder.decode();
  if (pending !== "") yield pending.replace(/\r$/, "");
}

/** Where an input problem is: the line of stdin, and the field when valibot names one. */
function describeIssue(lineNumber: number, issues: v.BaseIssue<unknown>[]): string {
  const issue = issues[0];
  const path = issue?.path?.map((p) => String(p.key)).join(".");
  return `stdin line ${lineNumber}${path ? `, field ${path}` : ""}: ${issue?.message ?? "invalid record"}`;
}

/**
 * `sluice transform <connector.properties>`: reads records (one JSON object per line) from stdin and writes what the
 * connector's converters and transforms make of them, so a chain can be tried before it is deployed. A record the
 * chain drops writes no line; a failing record writes `{"error","stage","offset"}`, and the command goes on only
 * with `errors.tolerance=all`. Exit codes: 0 done, 1 a record failed (tolerance none), 2 bad configuration or input.
 */
export async function runTransformCommand(connectorFile: string): Promise<number> {
  let dryRun: DryRun;
  try {
    const config = await loadPropertiesFile(connectorFile);
    const plugins = await PluginRegistry.load(
      (config["plugin.path"] ?? "")
        .split(",")
        .map((p) => p.trim())
        .filter(Boolean),
    );
    dryRun = new DryRun(config, plugins);
  } catch (error) {
    console.error(`sluice: ${connectorFile}: ${error instanceof ConnectError ? error.message : String(error)}`);
    return 2;
  }
  const out: string[] = [];
  const flush = () => {
    if (out.length > 0) process.stdout.write(`${out.join("\n")}\n`);
    out.length = 0;
  };
  let lineNumber = 0;
  try {
    for await (const line of stdinLines()) {
      lineNumber++;
      if (line.trim() === "") continue;
      let json: unknown;
      try {
        json = JSON.parse(line);
      } catch (error) {
        console.error(`sluice: stdin line ${lineNumber}: not JSON: ${(error as Error).message}`);
        return 2;
      }
      const parsed = v.safeParse(DryRunRecord, json);
      if (!parsed.success) {
        console.error(`sluice: ${describeIssue(lineNumber, parsed.issues)}`);
        return 2;
      }
      const result = dryRun.run(parsed.output);
      if ("record" in result) out.push(JSON.stringify(result.record));
      else if ("failure" in result) {
        out.push(JSON.stringify(result.failure));
        if (!dryRun.tolerateAll) {
          flush();
          console.error(`sluice: stdin line ${lineNumber}: ${result.failure.error} (errors.tolerance=none stops here)`);
          return 1;
        }
      }
      if (out.length >= 1000) flush();
    }
    flush();
    return 0;
  } finally {
    dryRun.close();
  }
}
