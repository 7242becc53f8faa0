import { readFile } from "node:fs/promises";
import { basename, dirname, extname, join } from "node:path";
import { ConfigError } from "../api/errors.ts";
import { TARGET_STATES, type TargetState } from "../common/target-state.ts";
import { writeFileAtomically } from "./atomic-write.ts";

const FORMAT = "sluice-connectors/1";

export interface StoredConnector {
  readonly name: string;
  /** The configuration as given, placeholders unresolved. */
  readonly config: Readonly<Record<string, string>>;
  readonly targetState: TargetState;
}

/**
 * Where a standalone worker keeps the connectors created through the REST API, so that they survive a restart
 * (Kafka's standalone worker forgets them: it keeps configurations in memory only). One JSON file beside the offsets
 * file, `<offsets file name>.connectors.json` unless `config.storage.file.filename` names another, rewritten whole
 * and atomically on every change. Task configurations are not kept: connectors compute them again at start.
 */
export class FileConfigStore {
  private readonly connectors = new Map<string, StoredConnector>();
  private writing: Promise<void> = Promise.resolve();

  constructor(readonly path: string) {}

  /** The default path: beside the offsets file, named after it. */
  static besideOffsets(offsetsFile: string): string {
    const name = basename(offsetsFile, extname(offsetsFile));
    return join(dirname(offsetsFile), `${name}.connectors.json`);
  }

  /** Reads the file; a missing file is an empty store. */
  async load(): Promise<StoredConnector[]> {
    let text: string;
    try {
      text = await readFile(this.path, "utf8");
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT") return [];
      throw this.error(`cannot be read: ${(error as Error).message}`, error);
    }
    let parsed: { format?: unknown; connectors?: unknown };
    try {
      parsed = JSON.parse(text);
    } catch (error) {
      throw this.error(`is not valid JSON (${(error as Error).message}); move it away to start without it`, error);
    }
    if (parsed.format !== FORMAT || !Array.isArray(parsed.connectors)) {
      throw this.error(`is not a sluice connectors file (expected format ${FORMAT})`);
    }
    this.connectors.clear();
    parsed.connectors.forEach((entry: unknown, index: number) => {
      const stored = entry as { name?: unknown; config?: unknown; target_state?: unknown };
      const config = stored.config as Record<string, unknown> | null | undefined;
      const valid =
        typeof stored.name === "string" &&
        typeof config === "object" &&
        config !== null &&
        Object.values(config).every((v) => typeof v === "string") &&
        TARGET_STATES.includes(stored.target_state as TargetState);
      if (!valid) {
        throw this.error(
          `has an invalid entry at connectors[${index}]: expected {"name", "config" (strings), "target_state" (${TARGET_STATES.join(", ")})}`,
        );
      }
      const name = stored.name as string;
      this.connectors.set(name, {
        name,
        config: config as Record<string, string>,
        targetState: stored.target_state as TargetState,
      });
    });
    return [...this.connectors.values()];
  }

  put(connector: StoredConnector): Promise<void> {
    this.connectors.set(connector.name, connector);
    return this.write();
  }

  remove(name: string): Promise<void> {
    if (!this.connectors.delete(name)) return this.writing;
    return this.write();
  }

  private write(): Promise<void> {
    // Writes are serialized; each writes the state at the time it runs, which includes the change that asked for it.
    const body = () =>
      JSON.stringify(
        {
          format: FORMAT,
          connectors: [...this.connectors.values()].map((c) => ({
            name: c.name,
            config: c.config,
            target_state: c.targetState,
          })),
        },
        null,
        1,
      );
    this.writing = this.writing.then(
      () => writeFileAtomically(this.path, body()),
      () => writeFileAtomically(this.path, body()),
    );
    return this.writing;
  }

  async stop(): Promise<void> {
    await this.writing.catch(() => undefined);
  }

  private error(problem: string, cause?: unknown): ConfigError {
    return new ConfigError(`The connectors file ${this.path} ${problem}`, {
      key: "config.storage.file.filename",
      cause,
    });
  }
}
