/**
 * The tokenizer of Kafka's `Values.parseString`: splits text at the unescaped delimiters `:` `,` `{` `}` `[` `]` `"`
 * (each delimiter is a token of its own; a backslash escapes the next character and stays in the token), with
 * one token of look-ahead and rewinding. The parser's results depend on its exact quirks (for instance, looking
 * ahead past blank tokens consumes them), so this follows Kafka's behaviour step by step.
 */

const DELIMITERS = new Set([":", ",", "{", "}", "[", "]", '"']);

/** Java's `Utils.isBlank`: empty after trimming every character up to U+0020. */
export function isBlank(text: string): boolean {
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) > 0x20) return false;
  return true;
}

/** Java's `String.trim`. */
export function javaTrim(text: string): string {
  let start = 0;
  let end = text.length;
  while (start < end && text.charCodeAt(start) <= 0x20) start++;
  while (end > start && text.charCodeAt(end - 1) <= 0x20) end--;
  return text.slice(start, end);
}

export class ValueTokenizer {
  private index = 0;
  private nextToken: string | null = null;
  private previousToken: string | null = null;

  constructor(readonly original: string) {}

  position(): number {
    return this.index;
  }

  /** Where the next token starts (before any looked-ahead token). */
  mark(): number {
    return this.index - (this.nextToken?.length ?? 0);
  }

  rewindTo(position: number): void {
    this.index = position;
    this.nextToken = null;
    this.previousToken = null;
  }

  hasNext(): boolean {
    return this.nextToken !== null || this.index < this.original.length;
  }

  next(): string {
    if (this.nextToken !== null) {
      this.previousToken = this.nextToken;
      this.nextToken = null;
    } else {
      this.previousToken = this.consumeNextToken();
    }
    return this.previousToken;
  }

  /** The text of the next `n` tokens, or null (and nothing consumed) if there are fewer. */
  nextTokens(n: number): string | null {
    const start = this.mark();
    for (let i = 0; i < n; i++) {
      if (!this.hasNext()) {
        this.rewindTo(start);
        return null;
      }
      this.next();
    }
    return this.original.slice(start, this.position());
  }

  previous(): string | null {
    return this.previousToken;
  }

  /** Consumes the next token if it is `expected`, ignoring surrounding whitespace (and blank tokens before it). */
  canConsume(expected: string): boolean {
    if (this.isNext(expected)) {
      this.nextToken = null;
      return true;
    }
    return false;
  }

  private isNext(expected: string): boolean {
    if (this.nextToken === null) {
      if (!this.hasNext()) return false;
      this.nextToken = this.consumeNextToken();
    }
    while (isBlank(this.nextToken) && this.index < this.original.length) this.nextToken = this.consumeNextToken();
    return javaTrim(this.nextToken) === expected;
  }

  private consumeNextToken(): string {
    const text = this.original;
    const start = this.index;
    let escaped = false;
    while (this.index < text.length) {
      const c = text[this.index] as string;
      if (c === "\\") escaped = !escaped;
      else if (DELIMITERS.has(c) && !escaped) {
        if (start < this.index) return text.slice(start, this.index);
        this.index++;
        return c;
      } else escaped = false;
      this.index++;
    }
    return text.slice(start, this.index);
  }
}
