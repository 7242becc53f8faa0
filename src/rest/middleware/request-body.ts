/**
 * Every request body, bounded and checked once before any route reads it:
 * - at most `rest.request.body.max.bytes`: an announced Content-Length above it is refused before a byte of the
 *   body is read, a chunked body as soon as it passes it (hono's bodyLimit counts while it streams). Without this
 *   every route read a body of any size before refusing it: 8 concurrent 98 MB bodies took the worker to 1.46 GB;
 * - UTF-8: every body this API takes is JSON, which is UTF-8 (RFC 8259). Decoding with replacement characters
 *   would store a connector named "caf\xff" as "caf\uFFFD" without a word, so the bytes are decoded strictly and a
 *   fault is a 400 naming its byte offset.
 * The decoded text is left in hono's body cache, so routes reading `c.req.json()` or `c.req.text()` get it, and
 * `c.req.arrayBuffer()` still gives the exact bytes (which internal requests are signed over).
 */
import type { MiddlewareHandler } from "hono";
import { bodyLimit } from "hono/body-limit";
import { RestError } from "../rest-error.ts";
import { invalidUtf8Offset } from "../utf8-validity.ts";

export const BODY_MAX_BYTES_KEY = "rest.request.body.max.bytes";
/**
 * 8 MiB: the largest real body is a connector's task configurations sent to the leader, all of them in one request
 * (up to tasks.max.limit, 1000 by default, of a few KiB each); a connector configuration must fit one config-topic
 * record (the broker's message.max.bytes, 1 MiB by default).
 */
export const DEFAULT_BODY_MAX_BYTES = 8 * 1024 * 1024;

function utf8Body(): MiddlewareHandler {
  const decoder = new TextDecoder("utf-8", { fatal: true });
  return async function utf8Body(c, next) {
    if (c.req.raw.body === null) return next();
    const bytes = new Uint8Array(await c.req.arrayBuffer());
    let text: string;
    try {
      text = decoder.decode(bytes);
    } catch {
      const offset = invalidUtf8Offset(bytes);
      const byte = (bytes[offset] ?? 0).toString(16).padStart(2, "0");
      throw new RestError(
        400,
        `Request body is not valid UTF-8: the byte at offset ${offset} (0x${byte}) does not begin a valid UTF-8 sequence`,
      );
    }
    // hono keeps each body it read as a promise (its type says the method), and `json()` parses the cached text.
    (c.req.bodyCache as Record<string, Promise<unknown>>).text = Promise.resolve(text);
    await next();
  };
}

export interface RequestBodyOptions {
  /** The most bytes a body may have (`rest.request.body.max.bytes`). */
  readonly maxBytes?: number;
}

/** The bound, then the UTF-8 check; mount after authentication, so no one unauthenticated makes the worker read. */
export function requestBody({ maxBytes = DEFAULT_BODY_MAX_BYTES }: RequestBodyOptions = {}): MiddlewareHandler[] {
  const tooLarge = () => {
    throw new RestError(
      413,
      `Request body is larger than ${maxBytes} bytes, the most this worker accepts; ` +
        `raise the worker's ${BODY_MAX_BYTES_KEY} to accept larger ones`,
    );
  };
  return [bodyLimit({ maxSize: maxBytes, onError: tooLarge }), utf8Body()];
}
