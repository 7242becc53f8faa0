/**
 * Java regular expressions (java.util.regex.Pattern) on a JS engine. Kafka's RegexRouter and TopicNameMatches take
 * Java patterns from users, so a pattern must mean here what it means there: this module rewrites a Java pattern
 * into an equivalent `u`-mode JS RegExp, spelling out every construct whose meaning differs (`.`, `$`, `\s`, `\h`,
 * `\R`, `\Q...\E`, ASCII-only case-insensitivity, inline flags, comments mode, Java's backreference digits), and
 * refuses with an error what a JS engine cannot express (possessive quantifiers, atomic groups, class intersections,
 * `\G`, `\X`). The rewrite runs once, at configure time; matching then costs what a native RegExp costs.
 */

/** Java's PatternSyntaxException: the message carries the pattern and a caret under the index, as Java prints it. */
export class JavaRegexSyntaxError extends Error {
  constructor(description: string, pattern: string, index: number) {
    const near = index >= 0 ? ` near index ${index}` : "";
    const caret = index >= 0 && index < pattern.length ? `\n${" ".repeat(index)}^` : "";
    super(`${description}${near}\n${pattern}${caret}`);
    this.name = "JavaRegexSyntaxError";
  }
}

export interface JavaPattern {
  readonly pattern: string;
  /** Finds the first match anywhere (Matcher.find). */
  readonly find: RegExp;
  /** Matches the whole input only (Matcher.matches). */
  readonly whole: RegExp;
  readonly groupCount: number;
  readonly groupNames: ReadonlyMap<string, number>;
}

/** Compiles a Java pattern; throws JavaRegexSyntaxError with Java's wording where we detect the error ourselves. */
export function compileJavaPattern(pattern: string): JavaPattern {
  const translator = new Translator(pattern);
  const source = translator.translate();
  try {
    return {
      pattern,
      find: new RegExp(source, "u"),
      whole: new RegExp(`^(?:${source})$`, "u"),
      groupCount: translator.groupCount,
      groupNames: translator.groupNames,
    };
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new JavaRegexSyntaxError(reason, pattern, -1);
  }
}

/** Java's `Matcher.matches()`: whether the whole input matches. */
export function javaMatches(pattern: JavaPattern, input: string): boolean {
  return pattern.whole.test(input);
}

// Java's line terminators (without UNIX_LINES), which `.`, `$` and MULTILINE `^` respect.
const LINE_TERMINATORS = "\\n\\r\\u{85}\\u{2028}\\u{2029}";
const SPACE = "\\t\\n\\u{b}\\f\\r ";
const HORIZONTAL_SPACE = "\\t \\u{a0}\\u{1680}\\u{180e}\\u{2000}-\\u{200a}\\u{202f}\\u{205f}\\u{3000}";
const VERTICAL_SPACE = "\\n\\u{b}\\f\\r\\u{85}\\u{2028}\\u{2029}";
const END_OF_INPUT = "(?![\\s\\S])";
const START_OF_INPUT = "(?<![\\s\\S])";

/** POSIX classes (US-ASCII only, as Java has them without UNICODE_CHARACTER_CLASS), as class contents. */
const POSIX_CLASSES: Readonly<Record<string, string>> = {
  Lower: "a-z",
  Upper: "A-Z",
  ASCII: "\\u{0}-\\u{7f}",
  Alpha: "a-zA-Z",
  Digit: "0-9",
  Alnum: "a-zA-Z0-9",
  Punct: "!-\\/:-@\\[-`\\{-~",
  Graph: "!-~",
  Print: " -~",
  Blank: " \\t",
  Cntrl: "\\u{0}-\\u{1f}\\u{7f}",
  XDigit: "0-9a-fA-F",
  Space: SPACE,
};

interface Flags {
  caseInsensitive: boolean;
  multiline: boolean;
  dotAll: boolean;
  comments: boolean;
}

class Translator {
  private i = 0;
  private flags: Flags = { caseInsensitive: false, multiline: false, dotAll: false, comments: false };
  groupCount = 0;
  readonly groupNames = new Map<string, number>();

  constructor(private readonly pattern: string) {}

  private error(description: string, index = this.i): JavaRegexSyntaxError {
    return new JavaRegexSyntaxError(description, this.pattern, index);
  }

  private unsupported(what: string, index: number): JavaRegexSyntaxError {
    return this.error(`${what} is not supported by sluice's Java regex translation`, index);
  }

  translate(): string {
    const out = this.sequence(0);
    if (this.i < this.pattern.length) throw this.error("Unmatched closing ')'", -1);
    return out;
  }

  /** Alternatives up to a `)` (not consumed) or the end; flags set inside end with the group, as in Java. */
  private sequence(depth: number): string {
    const saved = { ...this.flags };
    let out = "";
    let atomStart = -1;
    const p = this.pattern;
    while (this.i < p.length) {
      const c = p[this.i] as string;
      if (this.flags.comments && this.skipComment()) continue;
      if (c === ")") {
        if (depth === 0) throw this.error("Unmatched closing ')'", -1);
        break;
      }
      if (c === "|") {
        this.i++;
        out += "|";
        atomStart = -1;
        continue;
      }
      if (c === "*" || c === "+" || c === "?" || c === "{") {
        if (atomStart < 0) {
          if (c === "{") throw this.error("Illegal repetition");
          throw this.error(`Dangling meta character '${c}'`);
        }
        out += this.quantifier();
        atomStart = -1;
        continue;
      }
      atomStart = out.length;
      const atom = this.atom(depth);
      if (atom === null) atomStart = -1;
      else out += atom;
    }
    this.flags = saved;
    return out;
  }

  private skipComment(): boolean {
    const p = this.pattern;
    const c = p[this.i] as string;
    if (" \t\n\u000b\f\r".includes(c)) {
      this.i++;
      return true;
    }
    if (c === "#") {
      while (this.i < p.length && !"\n\r\u0085\u2028\u2029".includes(p[this.i] as string)) this.i++;
      return true;
    }
    return false;
  }

  private quantifier(): string {
    const p = this.pattern;
    const start = this.i;
    let q = p[this.i++] as string;
    if (q === "{") {
      const match = /^\{(\d+)(,(\d*))?\}/.exec(p.slice(start));
      if (!match) {
        if (/^\{\d/.test(p.slice(start))) throw this.error("Unclosed counted closure", p.length);
        throw this.error("Illegal repetition", start);
      }
      if (match[3] !== undefined && match[3] !== "" && Number(match[3]) < Number(match[1]))
        throw this.error("Illegal repetition range", start + match[0].length - 1);
      q = match[0];
      this.i = start + q.length;
    }
    if (p[this.i] === "?") {
      this.i++;
      return `${q}?`;
    }
    if (p[this.i] === "+") throw this.unsupported("A possessive quantifier", this.i);
    return q;
  }

  /** One atom; null for something that matches nothing by itself (an inline flag group). */
  private atom(depth: number): string | null {
    const p = this.pattern;
    const c = p[this.i] as string;
    switch (c) {
      case "(":
        return this.group(depth);
      case "[":
        return this.characterClass();
      case ".":
        this.i++;
        return this.flags.dotAll ? "[\\s\\S]" : `[^${LINE_TERMINATORS}]`;
      case "^":
        this.i++;
        return this.flags.multiline
          ? `(?:${START_OF_INPUT}|(?<=[${LINE_TERMINATORS}])(?!(?<=\\r)\\n)(?=[\\s\\S]))`
          : START_OF_INPUT;
      case "$":
        this.i++;
        return this.flags.multiline
          ? `(?=[${LINE_TERMINATORS}]|${END_OF_INPUT})`
          : `(?=(?:\\r\\n|[${LINE_TERMINATORS}])?${END_OF_INPUT})`;
      case "\\":
        return this.escape();
      default: {
        const code = p.codePointAt(this.i) as number;
        this.i += code > 0xffff ? 2 : 1;
        return this.literal(code);
      }
    }
  }

  private literal(code: number): string {
    if (this.flags.caseInsensitive) {
      const other = swapAsciiCase(code);
      if (other !== code) return `[${classChar(code)}${classChar(other)}]`;
    }
    return /[A-Za-z0-9]/.test(String.fromCodePoint(code)) ? String.fromCodePoint(code) : classChar(code);
  }

  private group(depth: number): string | null {
    const p = this.pattern;
    const open = this.i;
    this.i++;
    let prefix = "(";
    if (p[this.i] === "?") {
      const rest = p.slice(this.i + 1);
      if (rest.startsWith(":") || rest.startsWith("=") || rest.startsWith("!")) {
        prefix = `(?${rest[0]}`;
        this.i += 2;
      } else if (rest.startsWith("<=") || rest.startsWith("<!")) {
        prefix = `(?${rest.slice(0, 2)}`;
        this.i += 3;
      } else if (rest.startsWith("<")) {
        const name = /^<([^>]*)>/.exec(rest)?.[1];
        if (name === undefined || !/^[A-Za-z][A-Za-z0-9]*$/.test(name))
          throw this.error("capturing group name does not start with a Latin letter", this.i + 2);
        if (this.groupNames.has(name)) throw this.error(`Named capturing group <${name}> is already defined`);
        this.groupNames.set(name, ++this.groupCount);
        prefix = `(?<${name}>`;
        this.i += name.length + 3;
      } else if (rest.startsWith(">")) {
        throw this.unsupported("An atomic group", open);
      } else {
        return this.inlineFlags(depth, open);
      }
    } else {
      this.groupCount++;
    }
    const body = this.sequence(depth + 1);
    if (p[this.i] !== ")") throw this.error("Unclosed group", p.length);
    this.i++;
    return `${prefix}${body})`;
  }

  /** `(?imsx-imsx)` changes the flags until the enclosing group ends; `(?imsx-imsx:X)` only inside X. */
  private inlineFlags(depth: number, open: number): string | null {
    const p = this.pattern;
    const match = /^\?([a-zA-Z]*)(?:-([a-zA-Z]*))?([:)])/.exec(p.slice(this.i));
    if (!match) throw this.error("Unknown inline modifier", this.i + 1);
    const [whole, on = "", off = "", end] = match;
    const outer = { ...this.flags };
    for (const [letters, value] of [
      [on, true],
      [off, false],
    ] as const) {
      for (const letter of letters) {
        if (letter === "i") this.flags.caseInsensitive = value;
        else if (letter === "m") this.flags.multiline = value;
        else if (letter === "s") this.flags.dotAll = value;
        else if (letter === "x") this.flags.comments = value;
        else if ("duUc".includes(letter)) throw this.unsupported(`The inline flag '${letter}'`, open);
        else throw this.error("Unknown inline modifier", this.i + 1);
      }
    }
    this.i += whole.length;
    if (end === ")") return null;
    const body = this.sequence(depth + 1);
    this.flags = outer;
    if (p[this.i] !== ")") throw this.error("Unclosed group", p.length);
    this.i++;
    return `(?:${body})`;
  }

  private escape(): string {
    const p = this.pattern;
    const start = this.i;
    this.i++;
    if (this.i >= p.length) throw this.error("Unexpected internal error", p.length);
    const c = p[this.i] as string;
    const single = this.escapeInClass(start);
    if (single !== null) return single.kind === "char" ? this.literal(single.code) : `[${single.text}]`;
    this.i = start + 2;
    switch (c) {
      case "b":
        if (p[this.i] === "{") throw this.unsupported("\\b{g}", start);
        return "\\b";
      case "B":
        return "\\B";
      case "A":
        return START_OF_INPUT;
      case "z":
        return END_OF_INPUT;
      case "Z":
        return `(?=(?:\\r\\n|[${LINE_TERMINATORS}])?${END_OF_INPUT})`;
      case "R":
        return "(?:\\r\\n|[\\n\\u{b}\\f\\r\\u{85}\\u{2028}\\u{2029}])";
      case "G":
      case "X":
        throw this.unsupported(`\\${c}`, start);
      case "Q": {
        const end = p.indexOf("\\E", this.i);
        const text = end < 0 ? p.slice(this.i) : p.slice(this.i, end);
        this.i = end < 0 ? p.length : end + 2;
        // No group around the text: as in Java, a quantifier after \E repeats only the last character.
        let out = "";
        for (const ch of text) out += this.literal(ch.codePointAt(0) as number);
        return out === "" ? "(?:)" : out;
      }
      case "k": {
        const name = /^<([A-Za-z][A-Za-z0-9]*)>/.exec(p.slice(this.i))?.[1];
        if (name === undefined) throw this.error("\\k is not followed by '<' for named capturing group", this.i);
        const index = this.groupNames.get(name);
        if (index === undefined) throw this.error(`named capturing group <${name}> does not exist`, this.i);
        this.i += name.length + 2;
        return this.backReference(index);
      }
      default:
        if (c >= "1" && c <= "9") {
          let ref = Number(c);
          while (this.i < p.length && /[0-9]/.test(p[this.i] as string)) {
            const next = ref * 10 + Number(p[this.i]);
            if (next > this.groupCount) break;
            ref = next;
            this.i++;
          }
          // Java lets a reference name a group that never exists; it simply never matches.
          return ref > this.groupCount ? "(?!)" : this.backReference(ref);
        }
        throw this.error("Illegal/unsupported escape sequence", start + 1);
    }
  }

  private backReference(index: number): string {
    // `(?:)` ends the number, so a literal digit after it is not read as part of the reference.
    if (this.flags.caseInsensitive) return `(?i:\\${index})`;
    return `\\${index}(?:)`;
  }

  /**
   * An escape that means a single character or a set of characters, valid both inside and outside a class:
   * `{kind: "char"}` or `{kind: "set", text}` with class contents. Null if it is something else (left unconsumed).
   */
  private escapeInClass(start: number): { kind: "char"; code: number } | { kind: "set"; text: string } | null {
    const p = this.pattern;
    const c = p[start + 1] as string;
    const at = (n: number) => {
      this.i = start + n;
    };
    const char = (code: number, length: number) => {
      at(length);
      return { kind: "char" as const, code };
    };
    const set = (text: string) => {
      at(2);
      return { kind: "set" as const, text };
    };
    switch (c) {
      case "t":
        return char(9, 2);
      case "n":
        return char(10, 2);
      case "r":
        return char(13, 2);
      case "f":
        return char(12, 2);
      case "a":
        return char(7, 2);
      case "e":
        return char(27, 2);
      case "d":
        return set("0-9");
      case "D":
        return set("^0-9");
      case "w":
        return set("a-zA-Z_0-9");
      case "W":
        return set("^a-zA-Z_0-9");
      case "s":
        return set(SPACE);
      case "S":
        return set(`^${SPACE}`);
      case "h":
        return set(HORIZONTAL_SPACE);
      case "H":
        return set(`^${HORIZONTAL_SPACE}`);
      case "v":
        return set(VERTICAL_SPACE);
      case "V":
        return set(`^${VERTICAL_SPACE}`);
      case "c": {
        const control = p.charCodeAt(start + 2);
        if (Number.isNaN(control)) throw this.error("Illegal control escape sequence", start + 2);
        return char(control ^ 64, 3);
      }
      case "0": {
        const digits = /^[0-7]{1,3}/.exec(p.slice(start + 2))?.[0] ?? "";
        const usable = digits.length === 3 && digits[0] !== undefined && digits[0] > "3" ? digits.slice(0, 2) : digits;
        if (usable.length === 0) throw this.error("Illegal octal escape sequence", start + 2);
        return char(Number.parseInt(usable, 8), 2 + usable.length);
      }
      case "x": {
        const braced = /^\{([0-9a-fA-F]+)\}/.exec(p.slice(start + 2));
        if (braced?.[1] !== undefined) {
          const code = Number.parseInt(braced[1], 16);
          if (code > 0x10ffff) throw this.error("Hexadecimal codepoint is too big", start + 2);
          return char(code, 2 + braced[0].length);
        }
        const hex = /^[0-9a-fA-F]{2}/.exec(p.slice(start + 2))?.[0];
        if (hex === undefined) throw this.error("Illegal hexadecimal escape sequence", start + 2);
        return char(Number.parseInt(hex, 16), 4);
      }
      case "u": {
        const hex = /^[0-9a-fA-F]{4}/.exec(p.slice(start + 2))?.[0];
        if (hex === undefined) throw this.error("Illegal Unicode escape sequence", start + 2);
        let code = Number.parseInt(hex, 16);
        let length = 6;
        const low = /^\\u([dD][c-fC-F][0-9a-fA-F]{2})/.exec(p.slice(start + 6))?.[1];
        if (code >= 0xd800 && code <= 0xdbff && low !== undefined) {
          code = 0x10000 + ((code - 0xd800) << 10) + (Number.parseInt(low, 16) - 0xdc00);
          length = 12;
        }
        return char(code, length);
      }
      case "p":
      case "P":
        return { kind: "set", text: this.property(start, c === "P") };
      case "N":
        throw this.unsupported("\\N{name}", start);
      default:
        if (/[A-Za-z0-9]/.test(c) || c === undefined) return null;
        return char(p.codePointAt(start + 1) as number, /[\ud800-\udbff]/.test(c) ? 3 : 2);
    }
  }

  private property(start: number, negated: boolean): string {
    const p = this.pattern;
    let name: string;
    let length: number;
    if (p[start + 2] === "{") {
      const end = p.indexOf("}", start + 3);
      if (end < 0) throw this.error("Unclosed character family", p.length);
      name = p.slice(start + 3, end);
      length = end + 1 - start;
    } else {
      name = p[start + 2] ?? "";
      length = 3;
    }
    this.i = start + length;
    const posix = POSIX_CLASSES[name];
    const not = negated ? "^" : "";
    if (posix !== undefined) return `${not}${posix}`;
    const category = name.startsWith("Is") ? name.slice(2) : name;
    if (/^(L[ultmo]?|M[nce]?|N[dlo]?|P[cdseifo]?|S[mcko]?|Z[slp]?|C[cfson]?)$/.test(category))
      return `${not}\\p{${category}}`;
    if (/^(javaLowerCase|javaUpperCase)$/.test(name))
      return `${not}\\p{${name === "javaLowerCase" ? "Lowercase" : "Uppercase"}}`;
    if (/^(Alphabetic|Lowercase|Uppercase|White_Space)$/i.test(category)) return `${not}\\p{${category}}`;
    throw this.unsupported(`The character property \\p{${name}}`, start);
  }

  private characterClass(): string {
    const p = this.pattern;
    this.i++;
    let negated = false;
    if (p[this.i] === "^") {
      negated = true;
      this.i++;
    }
    let out = "";
    let first = true;
    let previous: number | null = null;
    for (;;) {
      if (this.i >= p.length) throw this.error("Unclosed character class", p.length - 1);
      const c = p[this.i] as string;
      if (this.flags.comments && " \t\n\u000b\f\r".includes(c)) {
        this.i++;
        continue;
      }
      if (c === "]" && !first) {
        this.i++;
        break;
      }
      first = false;
      if (c === "[") throw this.unsupported("A nested character class", this.i);
      if (c === "&" && p[this.i + 1] === "&") throw this.unsupported("Character class intersection (&&)", this.i);
      if (c === "-" && previous !== null && p[this.i + 1] !== "]" && this.i + 1 < p.length) {
        this.i++;
        const high = this.classAtom();
        if (high.kind !== "char") throw this.error("Illegal character range", this.i - 1);
        if (high.code < previous) throw this.error("Illegal character range", this.i - 1);
        out += `-${classChar(high.code)}${this.caseVariants(previous, high.code)}`;
        previous = null;
        continue;
      }
      const atom = this.classAtom();
      if (atom.kind === "set") {
        out += atom.text.startsWith("^") ? negatedSetInClass(atom.text) : atom.text;
        previous = null;
      } else if (atom.kind === "quote") {
        for (const ch of atom.text) {
          const code = ch.codePointAt(0) as number;
          out += classChar(code) + this.caseVariants(code, code);
        }
        previous = null;
      } else {
        out += classChar(atom.code);
        // A range's case variants are added once its upper end is known.
        if (p[this.i] !== "-" || p[this.i + 1] === "]") out += this.caseVariants(atom.code, atom.code);
        previous = atom.code;
      }
    }
    return `[${negated ? "^" : ""}${out}]`;
  }

  private classAtom():
    | { kind: "char"; code: number }
    | { kind: "set"; text: string }
    | { kind: "quote"; text: string } {
    const p = this.pattern;
    if (p[this.i] === "\\") {
      const start = this.i;
      if (p[start + 1] === "Q") {
        const end = p.indexOf("\\E", start + 2);
        const text = end < 0 ? p.slice(start + 2) : p.slice(start + 2, end);
        this.i = end < 0 ? p.length : end + 2;
        return { kind: "quote", text };
      }
      const atom = this.escapeInClass(start);
      if (atom === null) throw this.error("Illegal/unsupported escape sequence", start + 1);
      return atom;
    }
    const code = p.codePointAt(this.i) as number;
    this.i += code > 0xffff ? 2 : 1;
    return { kind: "char", code };
  }

  /** With CASE_INSENSITIVE (ASCII only, as Java without UNICODE_CASE), the other-case letters of a range. */
  private caseVariants(low: number, high: number): string {
    if (!this.flags.caseInsensitive) return "";
    let out = "";
    for (const [from, to] of [
      [0x41, 0x5a],
      [0x61, 0x7a],
    ] as const) {
      const a = Math.max(low, from);
      const b = Math.min(high, to);
      if (a <= b) out += `${classChar(swapAsciiCase(a))}-${classChar(swapAsciiCase(b))}`;
    }
    return out;
  }
}

/** A negated set (`^...`) inside a class: JS `u` mode has no nested classes, so use its complement escape. */
function negatedSetInClass(text: string): string {
  switch (text) {
    case "^0-9":
      return "\\D";
    case "^a-zA-Z_0-9":
      return "\\W";
    default:
      if (text.startsWith("^\\p{")) return `\\P{${text.slice(4)}`;
      throw new JavaRegexSyntaxError(
        `A negated escape inside a character class ([${text}]) is not supported by sluice's Java regex translation`,
        text,
        -1,
      );
  }
}

function classChar(code: number): string {
  return `\\u{${code.toString(16)}}`;
}

function swapAsciiCase(code: number): number {
  if (code >= 0x41 && code <= 0x5a) return code + 32;
  if (code >= 0x61 && code <= 0x7a) return code - 32;
  return code;
}

export type ReplacementPart = string | number;

/**
 * Parses a replacement as Java's `Matcher.appendReplacement` reads it: `$n` and `${name}` refer to groups (extra
 * digits are taken while they still name a group), `\x` is a literal x. Throws Java's message for a bad reference.
 */
export function parseJavaReplacement(replacement: string, pattern: JavaPattern): ReplacementPart[] {
  const parts: ReplacementPart[] = [];
  let text = "";
  let i = 0;
  while (i < replacement.length) {
    const c = replacement[i] as string;
    if (c === "\\") {
      i++;
      if (i >= replacement.length) throw new Error("character to be escaped is missing");
      text += replacement[i];
      i++;
    } else if (c === "$") {
      i++;
      if (i >= replacement.length) throw new Error("Illegal group reference: group index is missing");
      let ref: number;
      if (replacement[i] === "{") {
        i++;
        const name = /^[A-Za-z0-9]*/.exec(replacement.slice(i))?.[0] ?? "";
        i += name.length;
        if (name.length === 0) throw new Error("named capturing group has 0 length name");
        if (replacement[i] !== "}") throw new Error("named capturing group is missing trailing '}'");
        i++;
        if (/^[0-9]/.test(name)) throw new Error(`capturing group name {${name}} starts with digit character`);
        const index = pattern.groupNames.get(name);
        if (index === undefined) throw new Error(`No group with name {${name}}`);
        ref = index;
      } else {
        const digit = replacement[i] as string;
        if (!/[0-9]/.test(digit)) throw new Error("Illegal group reference");
        ref = Number(digit);
        i++;
        while (i < replacement.length && /[0-9]/.test(replacement[i] as string)) {
          const next = ref * 10 + Number(replacement[i]);
          if (next > pattern.groupCount) break;
          ref = next;
          i++;
        }
        if (ref > pattern.groupCount) throw new Error(`No group ${ref}`);
      }
      if (text !== "") parts.push(text);
      text = "";
      parts.push(ref);
    } else {
      text += c;
      i++;
    }
  }
  if (text !== "" || parts.length === 0) parts.push(text);
  return parts;
}

/** Expands parsed replacement parts against a match; a group that did not take part adds nothing, as in Java. */
export function expandReplacement(parts: readonly ReplacementPart[], match: RegExpExecArray): string {
  let out = "";
  for (const part of parts) out += typeof part === "string" ? part : (match[part] ?? "");
  return out;
}
