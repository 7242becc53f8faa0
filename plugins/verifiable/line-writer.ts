import { writeSync } from "node:fs";
import { type FileHandle, open } from "node:fs/promises";
import { join } from "node:path";

/** Where the verifiable sink's JSON lines go. */
export interface LineWriter {
  /** Writes whole lines; they are readable by others once it returns (not yet durable). */
  write(text: string): void;
  /** Makes everything written so far durable. */
  sync(): Promise<void>;
  close(): Promise<void>;
}

/**
 * A file of this task instance's own in `dir`. One file per instance, never shared: a task restarted elsewhere, or a
 * zombie instance still running beside its replacement, can never interleave its lines with another's, so a checker
 * can read each file in order. Lines are written synchronously, so a SIGKILL of the worker loses none.
 */
export async function fileLineWriter(dir: string, connector: string, id: number): Promise<LineWriter> {
  const safeName = connector.replace(/[^A-Za-z0-9._-]/g, "_");
  const unique = `${process.pid}-${Date.now()}-${Math.random().toString(36).slice(2, 8)}`;
  const handle: FileHandle = await open(join(dir, `${safeName}-${id}-${unique}.jsonl`), "a");
  return {
    write(text) {
      const bytes = Buffer.from(text);
      for (let at = 0; at < bytes.length; ) at += writeSync(handle.fd, bytes, at, bytes.length - at);
    },
    sync: () => handle.sync(),
    close: () => handle.close(),
  };
}

/** The worker's standard output, as Kafka's VerifiableSinkTask prints. */
export const stdoutLineWriter: LineWriter = {
  write(text) {
    process.stdout.write(text);
  },
  async sync() {},
  async close() {},
};
