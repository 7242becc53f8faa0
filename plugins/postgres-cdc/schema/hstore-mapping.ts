import { DataError, SchemaBuilder } from "../../../src/index.ts";
import type { TypeMappingOptions } from "./type-mapping-options.ts";
import type { ColumnShape, ValueMapping } from "./value-mapping.ts";

/**
 * hstore, as Debezium reads it with pgjdbc's HStoreConverter into a java.util.HashMap: a JSON string (json mode)
 * or a map of strings, either way in the HashMap's iteration order, which is what Debezium emits.
 */

/** `"a"=>"1", "b"=>NULL` to its pairs in text order (backslash escapes inside quotes; a later key wins). */
export function parseHstore(text: string, column: string): [string, string | null][] {
  // a reader per value instead of closures: this runs once per hstore value on the hot path
  const reader = new HstoreReader(text, column);
  const pairs = new Map<string, string | null>();
  reader.skipSpace();
  while (reader.i < text.length) {
    const key = reader.quoted();
    reader.skipSpace();
    if (!text.startsWith("=>", reader.i)) reader.fail();
    reader.i += 2;
    reader.skipSpace();
    let value: string | null;
    if (text.startsWith("NULL", reader.i)) {
      value = null;
      reader.i += 4;
    } else value = reader.quoted();
    // HashMap.put keeps the first insertion's place and takes the later value
    pairs.set(key, value);
    reader.skipSpace();
    if (reader.i < text.length) {
      if (text.charCodeAt(reader.i) !== 44 /* , */) reader.fail();
      reader.i++;
      reader.skipSpace();
    }
  }
  return [...pairs];
}

class HstoreReader {
  i = 0;

  constructor(
    private readonly text: string,
    private readonly column: string,
  ) {}

  fail(): never {
    throw new DataError(`Cannot parse hstore value of column ${this.column} at offset ${this.i}`);
  }

  skipSpace(): void {
    const text = this.text;
    for (;;) {
      const c = text.charCodeAt(this.i);
      if (c !== 32 && c !== 9 && c !== 10 && c !== 13) return;
      this.i++;
    }
  }

  quoted(): string {
    const text = this.text;
    if (text.charCodeAt(this.i) !== 34) this.fail();
    this.i++;
    let out = "";
    while (this.i < text.length && text.charCodeAt(this.i) !== 34) {
      if (text.charCodeAt(this.i) === 92) this.i++;
      out += text[this.i] ?? "";
      this.i++;
    }
    if (text.charCodeAt(this.i) !== 34) this.fail();
    this.i++;
    return out;
  }
}

/** Java's String.hashCode over UTF-16 code units, spread as HashMap.hash does. */
function spreadHash(key: string): number {
  let h = 0;
  for (let i = 0; i < key.length; i++) h = (Math.imul(31, h) + key.charCodeAt(i)) | 0;
  return h ^ (h >>> 16);
}

/**
 * The iteration order of a java.util.HashMap filled with these keys in order: by bucket (hash & (capacity-1),
 * capacity the power of two ≥ 16 that keeps size ≤ 0.75 capacity), insertion order within a bucket.
 */
export function javaHashMapOrder<T>(entries: readonly [string, T][]): [string, T][] {
  let capacity = 16;
  while (entries.length > capacity * 0.75) capacity *= 2;
  const mask = capacity - 1;
  return entries
    .map((entry, index) => ({ entry, index, bucket: spreadHash(entry[0]) & mask }))
    .sort((a, b) => a.bucket - b.bucket || a.index - b.index)
    .map((e) => e.entry);
}

// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what Jackson escapes differently
const CONTROL = /[\u0000-\u001f]/;
const SHORT_ESCAPES: Readonly<Record<number, string>> = { 8: "\\b", 9: "\\t", 10: "\\n", 12: "\\f", 13: "\\r" };

/** A JSON string as Jackson's generator writes it: JSON.stringify's, but `\u00XX` escapes in upper case. */
export function jacksonString(text: string): string {
  if (!CONTROL.test(text)) return JSON.stringify(text);
  let out = '"';
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < 0x20) out += SHORT_ESCAPES[code] ?? `\\u00${code.toString(16).toUpperCase().padStart(2, "0")}`;
    else if (code === 0x22) out += '\\"';
    else if (code === 0x5c) out += "\\\\";
    else out += text[i];
  }
  return `${out}"`;
}

export function hstoreMapping(shape: ColumnShape, options: TypeMappingOptions): ValueMapping {
  if (options.hstoreHandlingMode === "map")
    return {
      schema: () =>
        SchemaBuilder.map(new SchemaBuilder("string").build(), new SchemaBuilder("string").optional().build()),
      converter: () => (text) => new Map(javaHashMapOrder(parseHstore(text, shape.name))),
    };
  return {
    schema: () => new SchemaBuilder("string").name("io.debezium.data.Json").version(1),
    converter: () => (text) => {
      const fields = javaHashMapOrder(parseHstore(text, shape.name)).map(
        ([k, v]) => `${jacksonString(k)}:${v === null ? "null" : jacksonString(v)}`,
      );
      return `{${fields.join(",")}}`;
    },
  };
}
