/**
 * A tiny Kafka wire-protocol client that asks a server "are you a ready Kafka broker?". An open port proves
 * nothing (anything can listen on 9092), so the probe sends a real ApiVersions request and then a Metadata
 * request: KRaft brokers accept connections slightly before they are unfenced, and Metadata lists only unfenced
 * brokers, so "Metadata lists a broker" is the moment producers and consumers can really work.
 *
 * Only non-flexible request versions are used (ApiVersions v0, Metadata v4-v8) to keep the encoding trivial.
 */
import { Socket } from "node:net";

const API_VERSIONS = 18;
const METADATA = 3;
const CLIENT_ID = Buffer.from("sluice-probe");
/** No Kafka response to these two requests comes near this size; anything bigger is not Kafka. */
const MAX_FRAME = 1 << 20;

export interface KafkaProbe {
  /** API key → [min version, max version], as the broker advertised them. */
  apiVersions: Map<number, readonly [number, number]>;
  /** Live (unfenced) brokers listed by Metadata; undefined when no Metadata version we speak is supported. */
  brokerCount: number | undefined;
}

/**
 * True when a Kafka broker answers at host:port and is ready (Metadata lists at least one live broker).
 * Never throws: every network or protocol failure is "no".
 */
export async function isKafkaAnswering(host: string, port: number, timeoutMs = 2000): Promise<boolean> {
  const probe = await probeKafka(host, port, timeoutMs);
  return probe !== undefined && (probe.brokerCount === undefined || probe.brokerCount > 0);
}

/** What a Kafka broker at host:port says, or undefined when nothing answers there like Kafka. */
export async function probeKafka(host: string, port: number, timeoutMs = 2000): Promise<KafkaProbe | undefined> {
  const socket = new Socket();
  const frames = new FrameReader(socket);
  const timer = setTimeout(() => socket.destroy(new Error("timed out")), timeoutMs);
  try {
    await new Promise<void>((resolve, reject) => {
      socket.once("connect", resolve);
      socket.once("error", reject);
      socket.connect(port, host);
    });
    socket.setNoDelay(true);
    socket.write(encodeRequest(API_VERSIONS, 0, 1, Buffer.alloc(0)));
    const apiVersions = decodeApiVersions(await frames.next(), 1);
    if (apiVersions === undefined) return undefined;
    const range = apiVersions.get(METADATA);
    const version = range && pickMetadataVersion(range);
    if (version === undefined) return { apiVersions, brokerCount: undefined };
    socket.write(encodeRequest(METADATA, version, 2, encodeMetadataBody(version)));
    const brokerCount = decodeMetadataBrokerCount(await frames.next(), 2);
    return brokerCount === undefined ? undefined : { apiVersions, brokerCount };
  } catch {
    return undefined;
  } finally {
    clearTimeout(timer);
    socket.destroy();
  }
}

/** Request header v1 (api key, version, correlation id, client id) + body, with the int32 size prefix. */
function encodeRequest(apiKey: number, version: number, correlationId: number, body: Buffer): Buffer {
  const header = Buffer.alloc(10 + CLIENT_ID.length);
  header.writeInt16BE(apiKey, 0);
  header.writeInt16BE(version, 2);
  header.writeInt32BE(correlationId, 4);
  header.writeInt16BE(CLIENT_ID.length, 8);
  CLIENT_ID.copy(header, 10);
  const size = Buffer.alloc(4);
  size.writeInt32BE(header.length + body.length, 0);
  return Buffer.concat([size, header, body]);
}

function pickMetadataVersion([min, max]: readonly [number, number]): number | undefined {
  const version = Math.min(max, 8);
  return version >= Math.max(min, 4) ? version : undefined;
}

/** An empty topic list (only the brokers are wanted), no auto-creation, no authorized operations. */
function encodeMetadataBody(version: number): Buffer {
  const body = Buffer.alloc(version >= 8 ? 7 : 5);
  body.writeInt32BE(0, 0);
  return body;
}

/** ApiVersions v0 response: correlation id, error code, [api key, min, max]. */
function decodeApiVersions(frame: Buffer, correlationId: number): Map<number, readonly [number, number]> | undefined {
  if (frame.length < 10 || frame.readInt32BE(0) !== correlationId) return undefined;
  // Any error code still comes with the broker's version list (UNSUPPORTED_VERSION does exactly that).
  const count = frame.readInt32BE(6);
  if (count < 1 || frame.length < 10 + count * 6) return undefined;
  const versions = new Map<number, readonly [number, number]>();
  for (let i = 0, at = 10; i < count; i++, at += 6) {
    versions.set(frame.readInt16BE(at), [frame.readInt16BE(at + 2), frame.readInt16BE(at + 4)]);
  }
  return versions.has(API_VERSIONS) ? versions : undefined;
}

/** Metadata v4-v8 response starts with correlation id, throttle time, then the broker array's length. */
function decodeMetadataBrokerCount(frame: Buffer, correlationId: number): number | undefined {
  if (frame.length < 12 || frame.readInt32BE(0) !== correlationId) return undefined;
  const count = frame.readInt32BE(8);
  return count >= 0 ? count : undefined;
}

/** Splits a socket's byte stream into size-prefixed Kafka response frames, one `next()` at a time. */
class FrameReader {
  private buffered = Buffer.alloc(0);
  private waiter: { resolve: (frame: Buffer) => void; reject: (error: Error) => void } | undefined;
  private failure: Error | undefined;

  constructor(socket: Socket) {
    socket.on("data", (chunk: Buffer) => {
      this.buffered = Buffer.concat([this.buffered, chunk]);
      this.deliver();
    });
    socket.on("error", (error) => this.fail(error));
    socket.on("close", () => this.fail(new Error("connection closed")));
  }

  next(): Promise<Buffer> {
    return new Promise<Buffer>((resolve, reject) => {
      this.waiter = { resolve, reject };
      this.deliver();
    });
  }

  private deliver(): void {
    const waiter = this.waiter;
    if (waiter === undefined) return;
    if (this.buffered.length >= 4) {
      const size = this.buffered.readInt32BE(0);
      if (size < 0 || size > MAX_FRAME) {
        this.failure ??= new Error(`not a Kafka frame (size ${size})`);
      } else if (this.buffered.length >= 4 + size) {
        this.waiter = undefined;
        const frame = this.buffered.subarray(4, 4 + size);
        this.buffered = this.buffered.subarray(4 + size);
        waiter.resolve(frame);
        return;
      }
    }
    if (this.failure) {
      this.waiter = undefined;
      waiter.reject(this.failure);
    }
  }

  private fail(error: Error): void {
    this.failure ??= error;
    this.deliver();
  }
}
