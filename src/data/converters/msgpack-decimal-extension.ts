import { addExtension } from "msgpackr";
import { Decimal } from "../../api/decimal.ts";

/**
 * Schemaless Decimals in MessagePack: extension type 0x44 ("D"), data = the scale as a big-endian int32, then the
 * unscaled value as big-endian two's complement in as few bytes as hold it (the bytes of Kafka's Decimal logical
 * type). With a schema no extension is needed: a Decimal travels as those bytes alone, the scale in the schema.
 *
 * msgpackr keeps extensions in one table per process, so registering this affects every msgpackr user in the
 * process, but only for Decimal instances and extension type 0x44. It is registered once, by the first
 * MessagePackConverter, not by importing this module.
 */

export const DECIMAL_EXTENSION_TYPE = 0x44;

let registered = false;

export function registerDecimalExtension(): void {
  if (registered) return;
  registered = true;
  addExtension({
    Class: Decimal,
    type: DECIMAL_EXTENSION_TYPE,
    pack: (value: Decimal) => packDecimal(value),
    unpack: (data: Uint8Array) => unpackDecimal(data),
  });
}

export function packDecimal(value: Decimal): Uint8Array {
  const digits: number[] = [];
  let rest = value.unscaled;
  for (;;) {
    const byte = Number(rest & 0xffn);
    digits.push(byte);
    rest >>= 8n;
    const signBit = (byte & 0x80) !== 0;
    if ((rest === 0n && !signBit) || (rest === -1n && signBit)) break;
  }
  const data = new Uint8Array(4 + digits.length);
  new DataView(data.buffer).setInt32(0, value.scale);
  for (let i = 0; i < digits.length; i++) data[4 + i] = digits[digits.length - 1 - i] as number;
  return data;
}

export function unpackDecimal(data: Uint8Array): Decimal {
  if (data.length < 5) throw new RangeError(`A Decimal extension needs at least 5 bytes, got ${data.length}`);
  const scale = new DataView(data.buffer, data.byteOffset, 4).getInt32(0);
  let unscaled = 0n;
  for (let i = 4; i < data.length; i++) unscaled = (unscaled << 8n) | BigInt(data[i] as number);
  if (((data[4] as number) & 0x80) !== 0) unscaled -= 1n << BigInt((data.length - 4) * 8);
  return new Decimal(unscaled, scale);
}
