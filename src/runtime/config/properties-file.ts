import { readFile } from "node:fs/promises";
import { ConfigError } from "../../api/errors.ts";

/**
 * Java `.properties` files, read exactly as `java.util.Properties.load` reads them (worker.properties and connector
 * properties files are written for Kafka, so every quirk of that format must mean the same here): `#`/`!` comment
 * lines, `=`, `:` or whitespace as the key/value separator, backslash line continuation, `\uXXXX` and the other
 * escapes, and the last duplicate key winning.
 */

/** Properties with the (1-based) line each key was last defined on, so callers can point users at it. */
export interface PropertiesWithLines {
  readonly values: Record<string, string>;
  readonly lines: ReadonlyMap<string, number>;
}

/** Java's whitespace for this format: space, tab and form feed (not the line terminators). */
function isBlank(c: string | undefined): boolean {
  return c === " " || c === "\t" || c === "\f";
}

function isLineEnd(c: string | undefined): boolean {
  return c === "\n" || c === "\r";
}

/** Parses properties text; `sourceName` (a file name) prefixes error messages as `name:line: ...`. */
export function parseProperties(text: string, sourceName: string): Record<string, string> {
  return parsePropertiesWithLines(text, sourceName).values;
}

export function parsePropertiesWithLines(text: string, sourceName: string): PropertiesWithLines {
  const entries = new Map<string, string>();
  const lines = new Map<string, number>();
  // Java's LineReader, as a state machine over the characters: a "logical line" is whatever has been buffered, so
  // after a continuation that leaves the buffer empty (a line that was only `\`), the next line starts afresh and
  // may itself be a comment or blank.
  let buffer = "";
  let startLine = 1;
  let lineNo = 1;
  let skipWhiteSpace = true;
  let appendedLineBegin = false;
  let precedingBackslash = false;
  let skipLF = false;
  const emit = () => {
    const logical = precedingBackslash ? buffer.slice(0, -1) : buffer;
    const at = startLine;
    const [key, value] = splitKeyValue(logical, (message) => new ConfigError(`${sourceName}:${at}: ${message}`));
    entries.set(key, value);
    lines.set(key, startLine);
    buffer = "";
    skipWhiteSpace = true;
    appendedLineBegin = false;
    precedingBackslash = false;
  };

  for (let i = 0; i < text.length; i++) {
    const c = text[i] as string;
    const currentLine = lineNo;
    if (c === "\n" || (c === "\r" && text[i + 1] !== "\n")) lineNo++;
    if (skipLF) {
      skipLF = false;
      if (c === "\n") continue;
    }
    if (skipWhiteSpace) {
      if (isBlank(c)) continue;
      if (!appendedLineBegin && isLineEnd(c)) continue;
      skipWhiteSpace = false;
      appendedLineBegin = false;
    }
    if (buffer.length === 0 && (c === "#" || c === "!")) {
      // A comment runs to the line end; a trailing backslash does not continue it.
      while (i + 1 < text.length && !isLineEnd(text[i + 1])) i++;
      skipWhiteSpace = true;
      continue;
    }
    if (!isLineEnd(c)) {
      if (buffer.length === 0) startLine = currentLine;
      buffer += c;
      precedingBackslash = c === "\\" ? !precedingBackslash : false;
      continue;
    }
    if (buffer.length === 0) {
      skipWhiteSpace = true;
      continue;
    }
    if (precedingBackslash && i + 1 < text.length) {
      // An odd run of trailing backslashes escapes the line end; the escaping backslash itself is dropped, and so
      // is the leading whitespace of the next line.
      buffer = buffer.slice(0, -1);
      skipWhiteSpace = true;
      appendedLineBegin = true;
      precedingBackslash = false;
      if (c === "\r") skipLF = true;
      continue;
    }
    emit();
  }
  if (buffer.length > 0) emit();
  return { values: Object.fromEntries(entries), lines };
}

/** Splits a logical line at its first unescaped separator, as Properties.load0 does, and unescapes both halves. */
function splitKeyValue(line: string, error: (message: string) => ConfigError): [string, string] {
  const limit = line.length;
  let keyLen = 0;
  let valueStart = limit;
  let hasSep = false;
  let precedingBackslash = false;
  while (keyLen < limit) {
    const c = line[keyLen];
    if ((c === "=" || c === ":") && !precedingBackslash) {
      valueStart = keyLen + 1;
      hasSep = true;
      break;
    }
    if (isBlank(c) && !precedingBackslash) {
      valueStart = keyLen + 1;
      break;
    }
    precedingBackslash = c === "\\" ? !precedingBackslash : false;
    keyLen++;
  }
  // Whitespace after the key, then at most one `=`/`:` (if whitespace ended the key), then whitespace again.
  while (valueStart < limit) {
    const c = line[valueStart];
    if (!isBlank(c)) {
      if (!hasSep && (c === "=" || c === ":")) hasSep = true;
      else break;
    }
    valueStart++;
  }
  return [unescapeProperty(line.slice(0, keyLen), error), unescapeProperty(line.slice(valueStart), error)];
}

const ESCAPES: Readonly<Record<string, string>> = { t: "\t", n: "\n", r: "\r", f: "\f" };

function unescapeProperty(raw: string, error: (message: string) => ConfigError): string {
  if (!raw.includes("\\")) return raw;
  let out = "";
  let i = 0;
  while (i < raw.length) {
    const c = raw[i++] as string;
    if (c !== "\\") {
      out += c;
      continue;
    }
    if (i >= raw.length) break;
    const next = raw[i++] as string;
    if (next === "u") {
      const hex = raw.slice(i, i + 4);
      if (!/^[0-9a-fA-F]{4}$/.test(hex)) throw error("malformed \\uXXXX escape");
      out += String.fromCharCode(Number.parseInt(hex, 16));
      i += 4;
    } else {
      // Any other escaped character stands for itself (`\=`, `\:`, `\ `, `\\`, `\#`, `\b` -> `b`, ...).
      out += ESCAPES[next] ?? next;
    }
  }
  return out;
}

/** Reads a properties file. Missing or unreadable files give a ConfigError with the path and the reason. */
export async function loadPropertiesFile(path: string): Promise<Record<string, string>> {
  return (await loadPropertiesFileWithLines(path)).values;
}

export async function loadPropertiesFileWithLines(path: string): Promise<PropertiesWithLines> {
  return parsePropertiesWithLines(decodePropertiesBytes(await readConfigFile(path)), path);
}

/**
 * Java reads properties streams as ISO-8859-1; files written today are UTF-8 (identical for ASCII, which is what
 * Kafka's own files use). UTF-8 is tried first and ISO-8859-1 is the fallback for bytes that are not valid UTF-8.
 */
function decodePropertiesBytes(bytes: Uint8Array): string {
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    let text = "";
    for (const byte of bytes) text += String.fromCharCode(byte);
    return text;
  }
}

const READ_ERRORS: Readonly<Record<string, string>> = {
  ENOENT: "no such file or directory",
  EACCES: "permission denied",
  EISDIR: "is a directory",
  ENOTDIR: "a parent of it is not a directory",
};

/** Reads a configuration file, turning file system errors into a ConfigError naming the path and the reason. */
export async function readConfigFile(path: string): Promise<Uint8Array> {
  try {
    return await readFile(path);
  } catch (cause) {
    const code = (cause as { code?: string }).code;
    const reason = (code && READ_ERRORS[code]) ?? (cause instanceof Error ? cause.message : String(cause));
    throw new ConfigError(`Cannot read configuration file ${path}: ${reason}`, {
      code: "CONFIG_FILE_UNREADABLE",
      cause,
    });
  }
}
