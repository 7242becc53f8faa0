/**
 * The one error hierarchy of sluice. Every error a plugin or the runtime throws is a ConnectError with a stable
 * `code` (for programs and logs) and an optional `cause` chain (for people). The kinds mirror Kafka Connect's
 * exceptions, so a connector author knows which one to throw:
 *
 * - RetriableError: the operation may succeed if tried again (Kafka's RetriableException); the runtime retries
 *   within `errors.retry.timeout`.
 * - DataError: a record cannot be converted or transformed (DataException); subject to `errors.tolerance`.
 * - ConfigError: a configuration is invalid (ConfigException); names the key.
 * - NotFoundError / AlreadyExistsError: lookups and creations (mapped to HTTP 404 / 409 by the REST layer).
 */
export class ConnectError extends Error {
  /** Stable, machine-readable identifier, e.g. `CONFIG_INVALID`. */
  readonly code: string;

  constructor(message: string, options: { code?: string; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = options.code ?? "CONNECT_ERROR";
  }

  /** Whether trying the same operation again may succeed. */
  get retriable(): boolean {
    return false;
  }
}

export class RetriableError extends ConnectError {
  constructor(message: string, options: { code?: string; cause?: unknown } = {}) {
    super(message, { code: options.code ?? "RETRIABLE", cause: options.cause });
  }

  override get retriable(): boolean {
    return true;
  }
}

export class DataError extends ConnectError {
  constructor(message: string, options: { code?: string; cause?: unknown } = {}) {
    super(message, { code: options.code ?? "DATA_INVALID", cause: options.cause });
  }
}

/** An invalid configuration value. `key` names the offending key when there is one. */
export class ConfigError extends ConnectError {
  readonly key: string | undefined;

  constructor(message: string, options: { key?: string; code?: string; cause?: unknown } = {}) {
    super(message, { code: options.code ?? "CONFIG_INVALID", cause: options.cause });
    this.key = options.key;
  }
}

export class NotFoundError extends ConnectError {
  constructor(message: string, options: { code?: string; cause?: unknown } = {}) {
    super(message, { code: options.code ?? "NOT_FOUND", cause: options.cause });
  }
}

export class AlreadyExistsError extends ConnectError {
  constructor(message: string, options: { code?: string; cause?: unknown } = {}) {
    super(message, { code: options.code ?? "ALREADY_EXISTS", cause: options.cause });
  }
}

/** The text of an error and its causes, one per line, for status traces and logs. */
export function describeError(error: unknown): string {
  const lines: string[] = [];
  let current: unknown = error;
  for (let depth = 0; current !== undefined && current !== null && depth < 10; depth++) {
    if (current instanceof Error) {
      lines.push(
        depth === 0
          ? (current.stack ?? `${current.name}: ${current.message}`)
          : `Caused by: ${current.stack ?? current.message}`,
      );
      current = current.cause;
    } else {
      lines.push(depth === 0 ? String(current) : `Caused by: ${String(current)}`);
      break;
    }
  }
  return lines.join("\n");
}

/**
 * Thrown by a converter whose conversion needs an answer it does not hold yet, such as a schema from a Schema
 * Registry: converters are synchronous, so the runtime awaits `ready` and calls the converter again, as often as
 * the converter asks. It is not a failure: nothing is counted or reported unless `ready` rejects, and then that
 * rejection is the record's error (retriable when the registry was unreachable).
 */
export class ConversionPending extends ConnectError {
  constructor(
    readonly ready: Promise<void>,
    what: string,
  ) {
    super(`The conversion waits for ${what}`, { code: "CONVERSION_PENDING" });
    // Awaited by the runtime; a converter that throws one for a record nobody retries must not crash the process.
    ready.catch(() => {});
  }
}
