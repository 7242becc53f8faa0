import { ConfigError } from "../../api/errors.ts";

/** A configuration with where it came from, so errors can name the file and line of a key. */
export interface SourcedProperties {
  readonly props: Readonly<Record<string, string>>;
  /** e.g. `worker.properties`, or `defaults`. */
  readonly source: string;
  readonly lines?: ReadonlyMap<string, number>;
}

/** Prefixes a ConfigError with the file and line of its key, when known. */
export function locate(error: unknown, sourced: SourcedProperties): unknown {
  if (!(error instanceof ConfigError) || !error.key) return error;
  const line = sourced.lines?.get(error.key);
  const where =
    line === undefined ? `${sourced.source}, key ${error.key}` : `${sourced.source}:${line}, key ${error.key}`;
  return new ConfigError(`${where}: ${error.message}`, { key: error.key, code: error.code, cause: error });
}
