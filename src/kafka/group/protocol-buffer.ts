/**
 * Reading and writing the classic (non-flexible) Kafka protocol types that Kafka Connect's group messages are built
 * from (org.apache.kafka.common.protocol.types.Type / ArrayOf / Schema): big-endian INT16/INT32/INT64, STRING as an
 * INT16 length and UTF-8 bytes, NULLABLE_BYTES as an INT32 length (-1 = null) and the bytes, arrays as an INT32 count
 * (-1 = null when nullable). The checks and their wording follow Kafka's, so bad input fails the same way.
 */
import { ConnectProtocolError } from "./connect-protocol-error.ts";

const encoder = new TextEncoder();
const decoder = new TextDecoder("utf-8");

/** Appends fields to a list of chunks; `bytes()` joins them once. */
export class ProtocolWriter {
  readonly #chunks: Uint8Array[] = [];

  int16(value: number): this {
    const chunk = Buffer.allocUnsafe(2);
    chunk.writeInt16BE(value);
    this.#chunks.push(chunk);
    return this;
  }

  int32(value: number): this {
    const chunk = Buffer.allocUnsafe(4);
    chunk.writeInt32BE(value);
    this.#chunks.push(chunk);
    return this;
  }

  /** An INT64 from a safe integer (offsets in sluice are numbers; Kafka's never come near 2^53). */
  int64(value: number): this {
    if (!Number.isSafeInteger(value)) throw new ConnectProtocolError(`INT64 value ${value} is not a safe integer`);
    const chunk = Buffer.allocUnsafe(8);
    chunk.writeBigInt64BE(BigInt(value));
    this.#chunks.push(chunk);
    return this;
  }

  string(value: string): this {
    const bytes = encoder.encode(value);
    if (bytes.length > 0x7fff) {
      throw new ConnectProtocolError(`String length ${bytes.length} is larger than the maximum string length.`);
    }
    return this.int16(bytes.length).raw(bytes);
  }

  nullableBytes(value: Uint8Array | null): this {
    if (value === null) return this.int32(-1);
    return this.int32(value.length).raw(value);
  }

  array<T>(items: readonly T[], writeItem: (writer: this, item: T) => void): this {
    this.int32(items.length);
    for (const item of items) writeItem(this, item);
    return this;
  }

  raw(bytes: Uint8Array): this {
    this.#chunks.push(bytes);
    return this;
  }

  bytes(): Buffer {
    return Buffer.concat(this.#chunks);
  }
}

/** Reads fields in order; every read checks the bytes left first and throws a ConnectProtocolError if short. */
export class ProtocolReader {
  readonly #view: DataView;
  readonly #bytes: Uint8Array;
  #position = 0;

  constructor(bytes: Uint8Array) {
    this.#bytes = bytes;
    this.#view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  get remaining(): number {
    return this.#bytes.length - this.#position;
  }

  int16(): number {
    this.#need(2);
    const value = this.#view.getInt16(this.#position);
    this.#position += 2;
    return value;
  }

  int32(): number {
    this.#need(4);
    const value = this.#view.getInt32(this.#position);
    this.#position += 4;
    return value;
  }

  int64(): number {
    this.#need(8);
    const value = this.#view.getBigInt64(this.#position);
    this.#position += 8;
    if (value > BigInt(Number.MAX_SAFE_INTEGER) || value < BigInt(Number.MIN_SAFE_INTEGER)) {
      throw new ConnectProtocolError(`INT64 value ${value} is outside the safe integer range`);
    }
    return Number(value);
  }

  string(): string {
    const length = this.int16();
    if (length < 0) throw new ConnectProtocolError(`String length ${length} cannot be negative`);
    if (length > this.remaining) {
      throw new ConnectProtocolError(
        `Error reading string of length ${length}, only ${this.remaining} bytes available`,
      );
    }
    const value = decoder.decode(this.#bytes.subarray(this.#position, this.#position + length));
    this.#position += length;
    return value;
  }

  nullableBytes(): Uint8Array | null {
    const length = this.int32();
    if (length < 0) return null;
    if (length > this.remaining) {
      throw new ConnectProtocolError(`Error reading bytes of size ${length}, only ${this.remaining} bytes available`);
    }
    const value = this.#bytes.subarray(this.#position, this.#position + length);
    this.#position += length;
    return value;
  }

  /** An array; null only when `nullable` and the count is negative (ArrayOf.nullable). */
  array<T>(readItem: (reader: this) => T, nullable: boolean): T[] | null {
    const size = this.int32();
    if (size < 0) {
      if (nullable) return null;
      throw new ConnectProtocolError(`Array size ${size} cannot be negative`);
    }
    if (size > this.remaining) {
      throw new ConnectProtocolError(`Error reading array of size ${size}, only ${this.remaining} bytes available`);
    }
    const items: T[] = [];
    for (let i = 0; i < size; i++) items.push(readItem(this));
    return items;
  }

  #need(count: number): void {
    if (this.remaining < count) {
      throw new ConnectProtocolError(`needs ${count} bytes, only ${this.remaining} available`);
    }
  }
}

/** Reads one named field, prefixing any failure with the field's name as Kafka's Schema.read does. */
export function readField<T>(field: string, read: () => T): T {
  try {
    return read();
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new ConnectProtocolError(`Error reading field '${field}': ${reason}`, { cause: error });
  }
}
