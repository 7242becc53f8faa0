import { DataError } from "../../../api/errors.ts";

/**
 * Confluent's wire format: magic byte 0, the schema's global id as a 4-byte big-endian integer, then the body the
 * schema's format wrote.
 */
export const MAGIC_BYTE = 0;
export const HEADER_SIZE = 5;

/** The schema id of framed bytes; a DataError when they are not in Confluent's wire format. */
export function schemaIdOf(bytes: Uint8Array): number {
  if (bytes.length < HEADER_SIZE) {
    throw new DataError(
      `Unknown magic byte! The ${bytes.length} bytes are too short for Confluent's wire format (magic byte and schema id)`,
    );
  }
  if (bytes[0] !== MAGIC_BYTE) {
    throw new DataError(
      `Unknown magic byte! Expected ${MAGIC_BYTE}, found ${bytes[0]}: not written by a Schema Registry serializer`,
    );
  }
  return (
    (((bytes[1] as number) << 24) |
      ((bytes[2] as number) << 16) |
      ((bytes[3] as number) << 8) |
      (bytes[4] as number)) >>>
    0
  );
}

/** The header and the body, in one new array. */
export function frame(schemaId: number, body: Uint8Array): Uint8Array {
  const out = new Uint8Array(HEADER_SIZE + body.length);
  out[0] = MAGIC_BYTE;
  out[1] = schemaId >>> 24;
  out[2] = (schemaId >>> 16) & 0xff;
  out[3] = (schemaId >>> 8) & 0xff;
  out[4] = schemaId & 0xff;
  out.set(body, HEADER_SIZE);
  return out;
}
