/**
 * Progress and diagnostics for the development tools. Everything goes to stderr so that stdout stays free for
 * results a script may read (the bootstrap address, a status line).
 */
import { existsSync, readFileSync } from "node:fs";

export function say(message: string): void {
  process.stderr.write(`sluice: ${message}\n`);
}

/** The last `lines` lines of a text file, or "" when it does not exist (a failure report must never throw). */
export function tailFile(path: string, lines = 30): string {
  if (!existsSync(path)) return "";
  try {
    const text = readFileSync(path, "utf8").trimEnd();
    return text.split("\n").slice(-lines).join("\n");
  } catch {
    return "";
  }
}

/**
 * A failure message followed by the tail of the log that explains it and the log's path. Java failures end in
 * long stack traces whose root cause is easy to miss, so the last `Caused by:` line is repeated up front.
 */
export function withLogTail(message: string, logPath: string, lines = 30): string {
  const tail = tailFile(logPath, lines);
  const body = tail === "" ? "(the log is empty)" : tail.replace(/^/gm, "  | ");
  const cause = tailFile(logPath, 400)
    .split("\n")
    .findLast((line) => line.startsWith("Caused by: "));
  const summary = cause === undefined ? "" : `\n${cause}`;
  return `${message}${summary}\nLast lines of ${logPath}:\n${body}\nFull log: ${logPath}`;
}
