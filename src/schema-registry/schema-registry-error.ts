import { ConnectError } from "../api/errors.ts";

/**
 * HTTP statuses worth asking again, as Confluent's RestService: a timeout or throttle (408, 429) and a server that
 * failed or is unavailable (500, 502, 503, 504). Everything else is the request's own fault and stays wrong.
 */
export function isRetriableStatus(status: number): boolean {
  return status === 408 || status === 429 || status === 500 || status === 502 || status === 503 || status === 504;
}

/**
 * A registry that answered with an error, or could not be reached. Retriable when asking again may succeed (the
 * registry is down, slow or failing: the task retries, and nothing is lost); not for a schema the registry refused
 * or does not know. `errorCode` is the registry's own (40401 subject not found, 40403 schema not found, 409
 * incompatible, 42201 invalid schema...), 0 or the status when it gave none.
 */
export class SchemaRegistryError extends ConnectError {
  readonly #retriable: boolean;

  constructor(
    message: string,
    readonly status: number,
    readonly errorCode: number,
    options: { readonly retriable: boolean; readonly cause?: unknown },
  ) {
    super(message, {
      code: options.retriable ? "SCHEMA_REGISTRY_UNAVAILABLE" : "SCHEMA_REGISTRY_ERROR",
      cause: options.cause,
    });
    this.#retriable = options.retriable;
  }

  override get retriable(): boolean {
    return this.#retriable;
  }

  /** Subject or schema not found (40401, 40402, 40403), or a 404 without the registry's code. */
  get notFound(): boolean {
    return this.status === 404;
  }
}
