/**
 * Every request body, bounded and checked once before any route reads it:
 * - at most `rest.request.body.max.bytes`: an announced Content-Length above it is refused before a byte of the
 *   body is read, a chunked body as soon as it passes it. Without this every route read a body of any size before
 *   refusing it: 8 concurrent 98 MB bodies took the worker to 1.46 GB;
 * - UTF-8: every body this API takes is JSON, which is UTF-8 (RFC 8259). Decoding with replacement characters
 *   would store a connector named "caf\xff" as "caf\uFFFD" without a word, so the bytes are decoded strictly and a
 *   fault is a 400 naming its byte offset.
 * The bytes and their text are left in hono's body cache, so `c.req.json()` and `c.req.text()` get the text and
 * `c.req.arrayBuffer()` the exact bytes (which internal requests are signed over).
 *
 * hono's bodyLimit does the counting too, but a body that breaks off (the client gone, a malformed chunk) would then
 * reach the error handler as a 500 logged with its stack; here it is the client's fault, a 400.
 */
import type { Context, MiddlewareHandler } from "hono";
import { RestError } from "../rest-error.ts";
import { invalidUtf8Offset } from "../utf8-validity.ts";

export const BODY_MAX_BYTES_KEY = "rest.request.body.max.bytes";
/**
 * 8 MiB: the largest real body is a connector's task configurations sent to the leader, all of them in one request
 * (up to tasks.max.limit, 1000 by default, of a few KiB each); a connector configuration must fit one config-topic
 * record (the broker's message.max.bytes, 1 MiB by default).
 */
export const DEFAULT_BODY_MAX_BYTES = 8 * 1024 * 1024;

function tooLarge(maxBytes: number): RestError {
  return new RestError(
    413,
    `Request body is larger than ${maxBytes} bytes, the most this worker accepts; ` +
      `raise the worker's ${BODY_MAX_BYTES_KEY} to accept larger ones`,
  );
}

/** The body's bytes, read only while they stay within the bound. */
async function readBounded(request: Request, body: ReadableStream<Uint8Array>, maxBytes: number): Promise<Uint8Array> {
  // Content-Length is what the server frames the body by, unless Transfer-Encoding says otherwise.
  const announced = request.headers.get("content-length");
  if (announced !== null && !request.headers.has("transfer-encoding") && Number(announced) > maxBytes) {
    throw tooLarge(maxBytes);
  }
  const reader = body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      size += value.byteLength;
      if (size > maxBytes) {
        // Nothing more is read: what is still coming is the server's to discard.
        reader.cancel().catch(() => undefined);
        throw tooLarge(maxBytes);
      }
      chunks.push(value);
    }
  } catch (error) {
    if (error instanceof RestError) throw error;
    throw new RestError(400, `Request body could not be read: ${(error as Error).message}`, { cause: error });
  }
  const bytes = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return bytes;
}

function decodeUtf8(decoder: TextDecoder, bytes: Uint8Array): string {
  try {
    return decoder.decode(bytes);
  } catch {
    const offset = invalidUtf8Offset(bytes);
    const byte = (bytes[offset] ?? 0).toString(16).padStart(2, "0");
    throw new RestError(
      400,
      `Request body is not valid UTF-8: the byte at offset ${offset} (0x${byte}) does not begin a valid UTF-8 sequence`,
    );
  }
}

/** hono keeps each body it read as a promise (its type says the method) and parses JSON from the cached text. */
function cacheBody(c: Context, bytes: Uint8Array, text: string): void {
  const cache = c.req.bodyCache as Record<string, Promise<unknown>>;
  cache.arrayBuffer = Promise.resolve(bytes.buffer);
  cache.text = Promise.resolve(text);
}

export interface RequestBodyOptions {
  /** The most bytes a body may have (`rest.request.body.max.bytes`). */
  readonly maxBytes?: number;
}

/** Mounted after authentication, so that no one unauthenticated makes the worker read a body. */
export function requestBody({ maxBytes = DEFAULT_BODY_MAX_BYTES }: RequestBodyOptions = {}): MiddlewareHandler {
  const decoder = new TextDecoder("utf-8", { fatal: true });
  return async function requestBody(c, next) {
    const body = c.req.raw.body;
    if (body !== null) {
      const bytes = await readBounded(c.req.raw, body, maxBytes);
      cacheBody(c, bytes, decodeUtf8(decoder, bytes));
    }
    await next();
  };
}
