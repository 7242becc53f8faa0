/**
 * Where MessagePack values begin and end, without decoding them: lets MessagePackConverter find the schema and the
 * payload of an envelope, so that it can look a schema up by its bytes instead of unpacking it for every record.
 */

/** Thrown for bytes that are not one complete MessagePack value, or use msgpackr extensions that change layout. */
export class MessagePackScanError extends Error {}

const truncated = () => new MessagePackScanError("Unexpected end of MessagePack data");

/** The offset past an extension whose type byte is at `typeAt`. */
function extension(bytes: Uint8Array, typeAt: number, length: number): number {
  const type = bytes[typeAt];
  // msgpackr's record definitions (0x72) and string bundles (0x62) refer to data outside the value they stand in.
  if (type === 0x72 || type === 0x62) throw new MessagePackScanError("msgpackr records or bundled strings");
  return typeAt + 1 + length;
}

/** The offset just past the one value that starts at `start`; throws MessagePackScanError. */
export function skipValue(bytes: Uint8Array, start: number, end = bytes.length): number {
  let pos = start;
  // Values still to skip: containers add their items instead of recursing.
  let pending = 1;
  const u16 = (at: number) => ((bytes[at] as number) << 8) | (bytes[at + 1] as number);
  const u32 = (at: number) => u16(at) * 0x10000 + u16(at + 2);
  while (pending > 0) {
    if (pos >= end) throw truncated();
    pending--;
    const token = bytes[pos] as number;
    if (token <= 0x7f || token >= 0xe0) {
      pos += 1; // fixint
    } else if (token <= 0x8f) {
      pending += 2 * (token & 0x0f);
      pos += 1;
    } else if (token <= 0x9f) {
      pending += token & 0x0f;
      pos += 1;
    } else if (token <= 0xbf) {
      pos += 1 + (token & 0x1f);
    } else {
      switch (token) {
        case 0xc0:
        case 0xc2:
        case 0xc3:
          pos += 1;
          break;
        case 0xc4:
        case 0xd9:
          pos += 2 + (bytes[pos + 1] as number);
          break;
        case 0xc5:
        case 0xda:
          pos += 3 + u16(pos + 1);
          break;
        case 0xc6:
        case 0xdb:
          pos += 5 + u32(pos + 1);
          break;
        case 0xc7: // ext 8, 16, 32: length, type, data
          pos = extension(bytes, pos + 2, bytes[pos + 1] as number);
          break;
        case 0xc8:
          pos = extension(bytes, pos + 3, u16(pos + 1));
          break;
        case 0xc9:
          pos = extension(bytes, pos + 5, u32(pos + 1));
          break;
        case 0xca:
        case 0xce:
        case 0xd2:
          pos += 5;
          break;
        case 0xcb:
        case 0xcf:
        case 0xd3:
          pos += 9;
          break;
        case 0xcc:
        case 0xd0:
          pos += 2;
          break;
        case 0xcd:
        case 0xd1:
          pos += 3;
          break;
        case 0xd4: // fixext 1, 2, 4, 8, 16: type, data
        case 0xd5:
        case 0xd6:
        case 0xd7:
        case 0xd8:
          pos = extension(bytes, pos + 1, 1 << (token - 0xd4));
          break;
        case 0xdc:
          pending += u16(pos + 1);
          pos += 3;
          break;
        case 0xdd:
          pending += u32(pos + 1);
          pos += 5;
          break;
        case 0xde:
          pending += 2 * u16(pos + 1);
          pos += 3;
          break;
        case 0xdf:
          pending += 2 * u32(pos + 1);
          pos += 5;
          break;
        default:
          throw new MessagePackScanError(`Invalid MessagePack byte 0x${token.toString(16)}`);
      }
    }
  }
  if (pos > end) throw truncated();
  return pos;
}

/** Where the `schema` and `payload` values of an envelope lie: [start, end) offsets into the bytes. */
export interface EnvelopeExtent {
  readonly schemaStart: number;
  readonly schemaEnd: number;
  readonly payloadStart: number;
  readonly payloadEnd: number;
}

const SCHEMA_KEY = [0xa6, 0x73, 0x63, 0x68, 0x65, 0x6d, 0x61]; // fixstr "schema"
const PAYLOAD_KEY = [0xa7, 0x70, 0x61, 0x79, 0x6c, 0x6f, 0x61, 0x64]; // fixstr "payload"

function keyAt(bytes: Uint8Array, pos: number, key: readonly number[]): boolean {
  for (let i = 0; i < key.length; i++) if (bytes[pos + i] !== key[i]) return false;
  return true;
}

/** The offset after the header of a map of two entries (in any of its three forms), or -1. */
function twoEntryMap(bytes: Uint8Array): number {
  if (bytes[0] === 0x82) return 1;
  if (bytes[0] === 0xde && bytes[1] === 0 && bytes[2] === 2) return 3;
  if (bytes[0] === 0xdf && bytes[1] === 0 && bytes[2] === 0 && bytes[3] === 0 && bytes[4] === 2) return 5;
  return -1;
}

/**
 * The extents of a map that holds exactly the keys "schema" and "payload" (in either order, as fixstr keys, which
 * is how MessagePack writers encode such short keys), filling the whole input; undefined for anything else.
 */
export function envelopeExtent(bytes: Uint8Array): EnvelopeExtent | undefined {
  let pos = twoEntryMap(bytes);
  if (pos < 0) return undefined;
  let schemaStart = -1;
  let schemaEnd = -1;
  let payloadStart = -1;
  let payloadEnd = -1;
  for (let entry = 0; entry < 2; entry++) {
    if (schemaStart < 0 && keyAt(bytes, pos, SCHEMA_KEY)) {
      schemaStart = pos + SCHEMA_KEY.length;
      pos = schemaEnd = skipValue(bytes, schemaStart);
    } else if (payloadStart < 0 && keyAt(bytes, pos, PAYLOAD_KEY)) {
      payloadStart = pos + PAYLOAD_KEY.length;
      pos = payloadEnd = skipValue(bytes, payloadStart);
    } else return undefined;
  }
  if (pos !== bytes.length) return undefined;
  return { schemaStart, schemaEnd, payloadStart, payloadEnd };
}

/** The fixed bytes of an envelope as MessagePackConverter writes it: fixmap of 2, then the key "schema". */
export const ENVELOPE_HEAD: Uint8Array = Uint8Array.from([0x82, ...SCHEMA_KEY]);
/** The key "payload", written between the schema and the payload. */
export const PAYLOAD_KEY_BYTES: Uint8Array = Uint8Array.from(PAYLOAD_KEY);

/** Whether `source` holds `expected` at `at`; compares four bytes at a time, the bulk of a schema's length. */
function holdsAt(source: Uint8Array, at: number, expected: Uint8Array): boolean {
  const length = expected.length;
  if (at + length > source.length) return false;
  const a = new DataView(source.buffer, source.byteOffset + at, length);
  const b = new DataView(expected.buffer, expected.byteOffset, length);
  let i = 0;
  for (; i + 4 <= length; i += 4) if (a.getInt32(i) !== b.getInt32(i)) return false;
  for (; i < length; i++) if (source[at + i] !== expected[i]) return false;
  return true;
}

/**
 * Where the payload starts if `source` is an envelope as MessagePackConverter writes it with exactly this schema's
 * bytes, else -1. A MessagePack value ends where its bytes say, so bytes equal to a complete value at the schema's
 * place are that value; the payload must then fill the rest, which unpacking it checks.
 */
export function writtenEnvelopePayloadStart(source: Uint8Array, schemaBytes: Uint8Array): number {
  const payloadKeyAt = ENVELOPE_HEAD.length + schemaBytes.length;
  if (
    !holdsAt(source, 0, ENVELOPE_HEAD) ||
    !holdsAt(source, ENVELOPE_HEAD.length, schemaBytes) ||
    !holdsAt(source, payloadKeyAt, PAYLOAD_KEY_BYTES)
  )
    return -1;
  return payloadKeyAt + PAYLOAD_KEY_BYTES.length;
}
