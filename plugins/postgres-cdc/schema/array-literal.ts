import { DataError } from "../../../src/index.ts";

/** An array literal's elements: text, null for an unquoted NULL, or a nested array (a multidimensional array). */
export type ArrayElement = string | null | ArrayElement[];

/**
 * PostgreSQL's array output (`{1,2,NULL}`, `{"a \"q\"",b}`, `{{1,2},{3,4}}`, `[0:1]={1,2}`) read as pgjdbc's PgArray
 * reads it: double-quoted elements with backslash escapes, unquoted elements trimmed, an unquoted NULL (any case)
 * is null, a quoted "NULL" is the text.
 */
export function parseArrayLiteral(text: string, column: string): ArrayElement[] {
  // bounds decoration of arrays not starting at 1
  let start = 0;
  if (text.startsWith("[")) {
    start = text.indexOf("=") + 1;
    if (start === 0) throw new DataError(`Cannot parse array value of column ${column}: bounds without '='`);
  }
  // one reader per value, no closures: this runs once per array value on the hot path
  const reader = new ArrayLiteralReader(text, column, start);
  const result = reader.array();
  if (reader.i !== text.length) reader.fail("text after the array");
  return result;
}

class ArrayLiteralReader {
  constructor(
    private readonly text: string,
    private readonly column: string,
    public i: number,
  ) {}

  fail(why: string): never {
    throw new DataError(`Cannot parse array value of column ${this.column} at offset ${this.i}: ${why}`);
  }

  array(): ArrayElement[] {
    const text = this.text;
    if (text.charCodeAt(this.i) !== 123 /* { */) this.fail("expected '{'");
    this.i++;
    const elements: ArrayElement[] = [];
    if (text.charCodeAt(this.i) === 125 /* } */) {
      this.i++;
      return elements;
    }
    for (;;) {
      while (text.charCodeAt(this.i) === 32) this.i++;
      const c = text.charCodeAt(this.i);
      if (c === 123 /* { */) elements.push(this.array());
      else if (c === 34 /* " */) elements.push(this.quoted());
      else elements.push(this.unquoted());
      while (text.charCodeAt(this.i) === 32) this.i++;
      const next = text.charCodeAt(this.i);
      this.i++;
      if (next === 125 /* } */) return elements;
      if (next !== 44 /* , */) {
        this.i--;
        this.fail("expected ',' or '}'");
      }
    }
  }

  private quoted(): string {
    const text = this.text;
    let i = this.i + 1;
    let out = "";
    let start = i;
    while (i < text.length && text.charCodeAt(i) !== 34) {
      if (text.charCodeAt(i) === 92 /* \ */) {
        out += text.slice(start, i);
        i++;
        start = i;
      }
      i++;
    }
    this.i = i;
    if (i >= text.length) this.fail("unterminated quoted element");
    this.i = i + 1;
    return out + text.slice(start, i);
  }

  private unquoted(): string | null {
    const text = this.text;
    const start = this.i;
    let i = start;
    while (i < text.length) {
      const c = text.charCodeAt(i);
      if (c === 44 || c === 125) break;
      i++;
    }
    this.i = i;
    const raw = text.slice(start, i).trim();
    return raw.length === 4 && raw.toUpperCase() === "NULL" ? null : raw;
  }
}
