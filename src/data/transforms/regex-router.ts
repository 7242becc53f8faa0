// biome-ignore-all lint/suspicious/noTemplateCurlyInString: `${topic}`-style placeholders are Kafka's literal syntax here
import { ConfigDef } from "../../api/config-def.ts";
import { DataError } from "../../api/errors.ts";
import type { ConnectRecord } from "../../api/record.ts";
import type { Transformation } from "../../api/transform.ts";
import type { JavaPattern, ReplacementPart } from "./java-regex.ts";
import { compileJavaPattern, expandReplacement, parseJavaReplacement } from "./java-regex.ts";
import { validJavaRegex } from "./record-transform-validators.ts";

export const REGEX_ROUTER_CONFIG_DEF: ConfigDef = new ConfigDef()
  .define({
    name: "regex",
    type: "string",
    validator: validJavaRegex,
    importance: "high",
    documentation: "Java regular expression the whole topic name must match.",
  })
  .define({
    name: "replacement",
    type: "string",
    importance: "high",
    documentation: "The new topic name; `$1`, `${name}` refer to the regex's groups, `\\$` is a literal dollar.",
  });

/**
 * Kafka's RegexRouter: when the whole topic matches `regex` (Java's `Matcher.matches()`), the topic becomes the
 * topic with its first match replaced by `replacement` (Java's `replaceFirst`). The pattern is translated from Java's
 * syntax once, in configure.
 */
export class RegexRouter<R extends ConnectRecord = ConnectRecord> implements Transformation<R> {
  private pattern: JavaPattern | null = null;
  private parts: ReplacementPart[] | Error = [];

  configure(configs: Readonly<Record<string, string>>): void {
    const values = REGEX_ROUTER_CONFIG_DEF.parse(configs);
    const pattern = compileJavaPattern(values.regex as string);
    this.pattern = pattern;
    // Java only reads the replacement when a topic matches, so a bad group reference fails records, not configure.
    try {
      this.parts = parseJavaReplacement(values.replacement as string, pattern);
    } catch (error) {
      this.parts = error as Error;
    }
  }

  apply(record: R): R {
    const pattern = this.pattern;
    if (pattern === null) throw new DataError("RegexRouter is not configured");
    const topic = record.topic;
    const match = pattern.find.exec(topic);
    if (match === null) return record;
    // A first match spanning the whole topic proves matches(); otherwise ask the anchored pattern.
    if ((match.index !== 0 || match[0].length !== topic.length) && !pattern.whole.test(topic)) return record;
    const parts = this.parts;
    if (parts instanceof Error) throw new DataError(parts.message, { cause: parts });
    const start = match.index;
    const updated = topic.slice(0, start) + expandReplacement(parts, match) + topic.slice(start + match[0].length);
    return { ...record, topic: updated };
  }

  config(): ConfigDef {
    return REGEX_ROUTER_CONFIG_DEF;
  }

  close(): void {}
}
