import { ConnectError } from "../api/errors.ts";

/** An error with its HTTP status, as Kafka's ConnectRestException. */
export class RestError extends ConnectError {
  constructor(
    readonly status: number,
    message: string,
    options: { code?: string; cause?: unknown } = {},
  ) {
    super(message, { code: options.code ?? `HTTP_${status}`, cause: options.cause });
  }
}
