import { ConfigDef, nonEmptyString } from "../../api/config-def.ts";
import { DataError } from "../../api/errors.ts";
import type { ConnectRecord } from "../../api/record.ts";
import type { Predicate } from "../../api/transform.ts";
import type { JavaPattern } from "../transforms/java-regex.ts";
import { compileJavaPattern, javaMatches } from "../transforms/java-regex.ts";
import { allOf, validJavaRegex } from "../transforms/record-transform-validators.ts";

export const TOPIC_NAME_MATCHES_CONFIG_DEF: ConfigDef = new ConfigDef().define({
  name: "pattern",
  type: "string",
  validator: allOf(nonEmptyString, validJavaRegex),
  importance: "medium",
  documentation: "A Java regular expression that the whole topic name must match.",
});

/** Kafka's TopicNameMatches: true when the whole topic name matches `pattern` (Java regex, `Matcher.matches()`). */
export class TopicNameMatches<R extends ConnectRecord = ConnectRecord> implements Predicate<R> {
  private pattern: JavaPattern | null = null;

  configure(configs: Readonly<Record<string, string>>): void {
    this.pattern = compileJavaPattern(TOPIC_NAME_MATCHES_CONFIG_DEF.parse(configs).pattern as string);
  }

  test(record: R): boolean {
    if (this.pattern === null) throw new DataError("TopicNameMatches is not configured");
    // A record may lack a topic when a connector builds it by hand; Kafka treats that as no match.
    return typeof record.topic === "string" && javaMatches(this.pattern, record.topic);
  }

  config(): ConfigDef {
    return TOPIC_NAME_MATCHES_CONFIG_DEF;
  }

  close(): void {}

  toString(): string {
    return `TopicNameMatches{pattern=${this.pattern?.pattern ?? "null"}}`;
  }
}
