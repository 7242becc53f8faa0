import { DataError } from "../../../src/index.ts";

/** An array literal's elements: text, null for an unquoted NULL, or a nested array (a multidimensional array). */
export type ArrayElement = string | null | ArrayElement[];

/**
 * PostgreSQL's array output (`{1,2,NULL}`, `{"a \"q\"",b}`, `{{1,2},{3,4}}`, `[0:1]={1,2}`) read as pgjdbc's PgArray
 * reads it: double-quoted elements with backslash escapes, unquoted elements trimmed, an unquoted NULL (any case)
 * is null, a quoted "NULL" is the text.
 */
export function parseArrayLiteral(text: string, column: string): ArrayElement[] {
  let i = 0;
  // bounds decoration of arrays not starting at 1
  if (text.startsWith("[")) {
    const eq = text.indexOf("=");
    if (eq < 0) throw new DataError(`Cannot parse array value of column ${column}: bounds without '='`);
    i = eq + 1;
  }
  const fail = (why: string): never => {
    throw new DataError(`Cannot parse array value of column ${column} at offset ${i}: ${why}`);
  };
  const parseArray = (): ArrayElement[] => {
    if (text[i] !== "{") fail("expected '{'");
    i++;
    const elements: ArrayElement[] = [];
    if (text[i] === "}") {
      i++;
      return elements;
    }
    for (;;) {
      while (text[i] === " ") i++;
      const c = text[i];
      if (c === "{") elements.push(parseArray());
      else if (c === '"') {
        i++;
        let out = "";
        let start = i;
        while (i < text.length && text[i] !== '"') {
          if (text[i] === "\\") {
            out += text.slice(start, i);
            i++;
            start = i;
          }
          i++;
        }
        if (i >= text.length) fail("unterminated quoted element");
        out += text.slice(start, i);
        i++;
        elements.push(out);
      } else {
        const start = i;
        while (i < text.length && text[i] !== "," && text[i] !== "}") i++;
        const raw = text.slice(start, i).trim();
        elements.push(raw.toUpperCase() === "NULL" ? null : raw);
      }
      while (text[i] === " ") i++;
      if (text[i] === ",") i++;
      else if (text[i] === "}") {
        i++;
        return elements;
      } else fail("expected ',' or '}'");
    }
  };
  const result = parseArray();
  if (i !== text.length) fail("text after the array");
  return result;
}
