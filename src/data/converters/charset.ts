/**
 * The Java character sets StringConverter's `converter.encoding` accepts here, by Java's canonical names and
 * aliases (case-insensitive), encoded and decoded as Java's String does: unmappable characters become `?` when
 * encoding, malformed input U+FFFD when decoding. Only UTF-8 has a TextEncoder, so the others are done by hand.
 */

export interface Charset {
  /** Java's canonical name. */
  readonly name: string;
  encode(text: string): Uint8Array;
  decode(bytes: Uint8Array): string;
}

const QUESTION_MARK = 0x3f;

function singleByte(name: string, max: number): Charset {
  return {
    name,
    encode(text) {
      const out: number[] = [];
      for (const ch of text) {
        const code = ch.codePointAt(0) as number;
        out.push(code <= max ? code : QUESTION_MARK);
      }
      return Uint8Array.from(out);
    },
    decode(bytes) {
      let text = "";
      for (const byte of bytes) text += byte <= max ? String.fromCharCode(byte) : "\uFFFD";
      return text;
    },
  };
}

function utf16(name: string, littleEndian: boolean, bom: boolean): Charset {
  return {
    name,
    encode(text) {
      const offset = bom ? 2 : 0;
      const out = new Uint8Array(offset + text.length * 2);
      const view = new DataView(out.buffer);
      if (bom) view.setUint16(0, 0xfeff, false);
      for (let i = 0; i < text.length; i++) view.setUint16(offset + i * 2, text.charCodeAt(i), littleEndian);
      return out;
    },
    decode(bytes) {
      let little = littleEndian;
      let start = 0;
      if (bom && bytes.length >= 2) {
        // Java's "UTF-16" reads a byte order mark if there is one and defaults to big-endian.
        if (bytes[0] === 0xfe && bytes[1] === 0xff) start = 2;
        else if (bytes[0] === 0xff && bytes[1] === 0xfe) {
          start = 2;
          little = true;
        }
      }
      const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
      let text = "";
      let i = start;
      for (; i + 1 < bytes.length; i += 2) text += String.fromCharCode(view.getUint16(i, little));
      return i < bytes.length ? `${text}\uFFFD` : text;
    },
  };
}

const utf8Encoder = new TextEncoder();
// Java's UTF-8 decoder keeps a byte order mark, so TextDecoder must not strip it.
const utf8Decoder = new TextDecoder("utf-8", { ignoreBOM: true });

const UTF_8: Charset = {
  name: "UTF-8",
  encode: (text) => utf8Encoder.encode(text),
  decode: (bytes) => utf8Decoder.decode(bytes),
};

const CHARSETS: readonly [Charset, readonly string[]][] = [
  [UTF_8, ["utf-8", "utf8", "unicode-1-1-utf-8"]],
  [utf16("UTF-16", false, true), ["utf-16", "utf_16", "utf16", "unicode", "unicodebig"]],
  [utf16("UTF-16BE", false, false), ["utf-16be", "utf_16be", "x-utf-16be", "iso-10646-ucs-2", "unicodebigunmarked"]],
  [utf16("UTF-16LE", true, false), ["utf-16le", "utf_16le", "x-utf-16le", "unicodelittleunmarked"]],
  [
    singleByte("ISO-8859-1", 0xff),
    ["iso-8859-1", "iso8859_1", "iso_8859_1", "iso_8859-1", "iso8859-1", "8859_1", "latin1", "l1", "cp819", "ibm819"],
  ],
  [singleByte("US-ASCII", 0x7f), ["us-ascii", "ascii", "us", "iso646-us", "ascii7", "646", "cp367", "ibm367"]],
];

const BY_ALIAS: ReadonlyMap<string, Charset> = new Map(
  CHARSETS.flatMap(([charset, aliases]) => aliases.map((alias) => [alias, charset] as const)),
);

/** The charset with this Java name or alias, or undefined if it is not supported. */
export function charsetFor(name: string): Charset | undefined {
  return BY_ALIAS.get(name.trim().toLowerCase());
}

export const SUPPORTED_CHARSETS: readonly string[] = CHARSETS.map(([charset]) => charset.name);
