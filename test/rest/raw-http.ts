/**
 * HTTP/1.1 by hand over a socket, for what fetch cannot send: a Content-Length the body never reaches, a body that
 * never ends, malformed requests. The answer is read until the server has sent a whole response (or closed).
 */
import { connect, type Socket } from "node:net";

export interface RawAnswer {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
}

/** Parses the first response in `text`; null while it is incomplete. */
function parse(text: string): RawAnswer | null {
  const end = text.indexOf("\r\n\r\n");
  if (end < 0) return null;
  const [statusLine = "", ...lines] = text.slice(0, end).split("\r\n");
  const headers: Record<string, string> = {};
  for (const line of lines) {
    const colon = line.indexOf(":");
    headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  const body = text.slice(end + 4);
  const length = headers["content-length"];
  // Read as latin1, one character a byte: the length compares with Content-Length, then the bytes decode as UTF-8.
  if (length !== undefined && body.length < Number(length)) return null;
  return { status: Number(statusLine.split(" ")[1]), headers, body: Buffer.from(body, "latin1").toString("utf8") };
}

/** An open connection: write to it, and await the server's first complete answer. */
export interface RawConnection {
  write(data: string | Uint8Array): void;
  readonly answer: Promise<RawAnswer>;
  close(): void;
}

/** Connects to `base` (`http://host:port`); `answer` rejects after `timeoutMs` without a whole response. */
export function rawConnection(base: string, timeoutMs = 5_000): RawConnection {
  const url = new URL(base);
  const socket: Socket = connect(Number(url.port), url.hostname);
  let received = "";
  const answer = new Promise<RawAnswer>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no whole answer within ${timeoutMs} ms: ${received}`)), timeoutMs);
    const settle = () => {
      const parsed = parse(received);
      if (parsed) {
        clearTimeout(timer);
        resolve(parsed);
      }
      return parsed;
    };
    socket.on("data", (chunk) => {
      received += chunk.toString("latin1");
      settle();
    });
    socket.on("close", () => {
      if (!settle()) {
        clearTimeout(timer);
        reject(new Error(`connection closed without a whole answer: ${JSON.stringify(received)}`));
      }
    });
    socket.on("error", () => {}); // a server closing on us mid-write: the answer (or its absence) tells
  });
  return {
    write: (data) => void socket.write(data),
    answer,
    close: () => socket.destroy(),
  };
}

/** Sends `request` as is and returns the answer, closing the connection after it. */
export async function rawRequest(base: string, request: string | Uint8Array, timeoutMs?: number): Promise<RawAnswer> {
  const connection = rawConnection(base, timeoutMs);
  connection.write(request);
  try {
    return await connection.answer;
  } finally {
    connection.close();
  }
}
