/**
 * A string literal in a schema document as Jackson writes it into a Java String (`canonicalString()` uses
 * `writeValueAsString`, the character-based generator): quotes, backslashes and control characters escaped, the
 * `\u` escapes in upper case, and everything else, characters outside the Basic Multilingual Plane too, left as
 * they are. (Bodies go through the byte-based generator, which escapes those as surrogate pairs: json-encode.ts.)
 */
export function schemaString(text: string): string {
  const quoted = JSON.stringify(text);
  if (!quoted.includes("\\u")) return quoted;
  // Only an odd run of backslashes makes an escape; `\\u00e9` is a backslash followed by the text "u00e9".
  return quoted.replace(/(\\+)u([0-9a-fA-F]{4})/g, (match, slashes: string, hex: string) =>
    slashes.length % 2 === 1 ? `${slashes}u${hex.toUpperCase()}` : match,
  );
}
