/**
 * The number syntax of Java's Integer.parseInt / Long.parseLong and Double.parseDouble, which Cast applies to strings,
 * so that text a Kafka user's data holds parses (or fails) exactly as it does in Kafka.
 */

const ASCII_INTEGER_TEXT = /^[+-]?[0-9]+$/;
const UNICODE_DIGIT = /^\p{Nd}$/u;

/**
 * Integer.parseInt / Long.parseLong syntax, as ASCII text BigInt and Number can read: an optional sign and digits,
 * nothing else (no trimming). Java's Character.digit also takes other scripts' decimal digits (Arabic-Indic `٣`,
 * fullwidth `３`, ...) from the Basic Multilingual Plane; null when the text is not an integer.
 */
export function javaIntegerText(text: string): string | null {
  if (ASCII_INTEGER_TEXT.test(text)) return text;
  let out = "";
  let start = 0;
  if (text[0] === "+" || text[0] === "-") {
    out = text[0];
    start = 1;
  }
  if (start === text.length) return null;
  for (let i = start; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code >= 0x30 && code <= 0x39) out += text[i];
    else if (UNICODE_DIGIT.test(text[i] as string)) out += String(unicodeDigitValue(code));
    else return null;
  }
  return out;
}

/** Unicode's decimal digits come in runs of ten from zero, so a digit's value is its offset within its run. */
function unicodeDigitValue(code: number): number {
  let zero = code;
  while (zero > 0 && UNICODE_DIGIT.test(String.fromCharCode(zero - 1))) zero--;
  return (code - zero) % 10;
}

const DECIMAL_FLOAT_TEXT = /^[+-]?(?:NaN|Infinity|(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?[fFdD]?)$/;
const HEX_FLOAT_TEXT = /^([+-]?)0[xX]([0-9a-fA-F]*)(?:\.([0-9a-fA-F]*))?[pP]([+-]?[0-9]+)[fFdD]?$/;

/**
 * Java's Double.parseDouble (and Float.parseFloat before rounding): surrounding characters up to U+0020 are
 * trimmed; decimal or hexadecimal (`0x1.8p1`) notation, NaN and Infinity, an optional f/F/d/D suffix. Null when
 * Java would throw NumberFormatException.
 */
export function parseJavaDouble(text: string): number | null {
  const trimmed = javaTrim(text);
  if (DECIMAL_FLOAT_TEXT.test(trimmed)) {
    const last = trimmed[trimmed.length - 1] as string;
    return Number("fFdD".includes(last) ? trimmed.slice(0, -1) : trimmed);
  }
  const hex = HEX_FLOAT_TEXT.exec(trimmed);
  if (hex !== null) {
    const [, sign = "", whole = "", fraction = "", exponent = "0"] = hex;
    if (whole.length + fraction.length > 0) {
      const mantissa = Number(BigInt(`0x${whole}${fraction}` === "0x" ? "0" : `0x${whole}${fraction}`));
      const magnitude = mantissa * 2 ** (Number(exponent) - 4 * fraction.length);
      return sign === "-" ? -magnitude : magnitude;
    }
  }
  return null;
}

/** Java's String.trim: strips every character up to U+0020 at both ends. */
function javaTrim(text: string): string {
  let start = 0;
  let end = text.length;
  while (start < end && text.charCodeAt(start) <= 0x20) start++;
  while (end > start && text.charCodeAt(end - 1) <= 0x20) end--;
  return text.slice(start, end);
}
