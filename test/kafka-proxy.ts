/**
 * A TCP proxy in front of the development broker that a test can cut and restore, so that a worker sees Kafka go
 * away and come back while the shared broker keeps running for everyone else.
 *
 * A plain proxy would only carry the bootstrap connection: the broker's Metadata answer advertises its own address
 * (127.0.0.1:9092) and clients would connect there directly. So the proxy rewrites that address in what the broker
 * answers (Metadata, FindCoordinator, DescribeCluster all write a broker as host, then port as an int32): the port
 * after the broker's host becomes the proxy's. It patches whole response frames (4-byte length first), so a match
 * never straddles two reads; the length does not change.
 */
import type { Socket, TCPSocketListener } from "bun";
import { BOOTSTRAP } from "./harness.ts";
import { freePort } from "./worker-harness.ts";

export interface KafkaProxy {
  /** The address to give clients instead of the broker's. */
  readonly bootstrap: string;
  /** Closes every connection and refuses new ones, as a broker that went away. */
  cut(): void;
  /** Accepts connections again. */
  restore(): void;
  /** Cuts for good (test teardown). */
  stop(): void;
}

interface Link {
  /** The other end, once connected; bytes for it wait in `pending` until then. */
  peer: Socket<Link> | null;
  pending: Uint8Array[];
  /** Broker → client bytes not yet a whole frame. */
  partial: Uint8Array;
  toClient: boolean;
  /** Bytes this socket could not take yet (a write takes what fits), written on drain. */
  outbox: Uint8Array[];
}

const link = (toClient: boolean, peer: Socket<Link> | null = null): Link => ({
  peer,
  pending: [],
  partial: new Uint8Array(0),
  toClient,
  outbox: [],
});

/** Writes in order, keeping what the socket does not take now for its drain. */
function send(socket: Socket<Link>, bytes: Uint8Array): void {
  if (socket.data.outbox.length > 0) {
    socket.data.outbox.push(bytes.slice());
    return;
  }
  const written = socket.write(bytes);
  if (written < bytes.length) socket.data.outbox.push(bytes.slice(Math.max(written, 0)));
}

function drain(socket: Socket<Link>): void {
  const outbox = socket.data.outbox;
  while (outbox.length > 0) {
    const bytes = outbox[0] as Uint8Array;
    const written = socket.write(bytes);
    if (written < bytes.length) {
      outbox[0] = bytes.slice(Math.max(written, 0));
      return;
    }
    outbox.shift();
  }
}

export function startKafkaProxy(): KafkaProxy {
  const [host, portText] = BOOTSTRAP.split(":") as [string, string];
  const brokerPort = Number(portText);
  const port = freePort();
  const needle = new Uint8Array([...new TextEncoder().encode(host), ...int32(brokerPort)]);
  const replacement = int32(port);
  const sockets = new Set<Socket<Link>>();
  let listener: TCPSocketListener<Link> | null = null;

  const patch = (frame: Uint8Array) => {
    for (let at = indexOf(frame, needle, 0); at >= 0; at = indexOf(frame, needle, at + needle.length))
      frame.set(replacement, at + needle.length - 4);
    return frame;
  };
  const forward = (from: Socket<Link>, data: Uint8Array) => {
    const state = from.data;
    let bytes = data;
    if (state.toClient) {
      bytes = concat(state.partial, data);
      let end = 0;
      while (bytes.length - end >= 4) {
        const size = new DataView(bytes.buffer, bytes.byteOffset + end, 4).getInt32(0);
        if (bytes.length - end - 4 < size) break;
        patch(bytes.subarray(end + 4, end + 4 + size));
        end += 4 + size;
      }
      state.partial = bytes.slice(end);
      bytes = bytes.subarray(0, end);
    }
    if (bytes.length === 0) return;
    if (state.peer === null) state.pending.push(bytes.slice());
    else send(state.peer, bytes);
  };
  const close = (socket: Socket<Link>) => {
    sockets.delete(socket);
    socket.data.peer?.end();
  };
  const handlers = {
    data: forward,
    drain,
    close,
    error: close,
  };

  const listen = () => {
    listener = Bun.listen<Link>({
      hostname: host,
      port,
      socket: {
        ...handlers,
        open(client) {
          client.data = link(false);
          sockets.add(client);
          Bun.connect<Link>({
            hostname: host,
            port: brokerPort,
            socket: {
              ...handlers,
              open(broker) {
                if (!sockets.has(client)) return void broker.end(); // the client left (or was cut) meanwhile
                broker.data = link(true, client);
                sockets.add(broker);
                client.data.peer = broker;
                for (const bytes of client.data.pending.splice(0)) send(broker, bytes);
              },
            },
          }).catch(() => client.end());
        },
      },
    });
  };
  const cut = () => {
    listener?.stop(true);
    listener = null;
    for (const socket of sockets) socket.end();
    sockets.clear();
  };
  listen();
  return {
    bootstrap: `${host}:${port}`,
    cut,
    restore: () => {
      if (listener === null) listen();
    },
    stop: cut,
  };
}

function int32(value: number): Uint8Array {
  const bytes = new Uint8Array(4);
  new DataView(bytes.buffer).setInt32(0, value);
  return bytes;
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  if (a.length === 0) return b;
  const out = new Uint8Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}

function indexOf(haystack: Uint8Array, needle: Uint8Array, from: number): number {
  outer: for (let i = from; i <= haystack.length - needle.length; i++) {
    for (let j = 0; j < needle.length; j++) if (haystack[i + j] !== needle[j]) continue outer;
    return i;
  }
  return -1;
}
