import { describe, expect, test } from "bun:test";
import { ConfigError } from "../../../src/api/errors.ts";
import { sourceRecord } from "../../../src/api/record.ts";
import { TopicNameMatches } from "../../../src/data/predicates/topic-name-matches.ts";

const configured = (pattern: string) => {
  const predicate = new TopicNameMatches();
  predicate.configure({ pattern });
  return predicate;
};
const onTopic = (topic: string) => sourceRecord({ topic, value: null });

describe("TopicNameMatches", () => {
  test("pattern is required", () => {
    expect(() => new TopicNameMatches().configure({})).toThrow('Missing required configuration "pattern"');
  });

  test("pattern may not be empty", () => {
    expect(() => configured("")).toThrow(ConfigError);
    expect(() => configured("")).toThrow("String must be non-empty");
  });

  test("pattern must be a valid Java regex, reported in Java's words", () => {
    expect(() => configured("[")).toThrow(
      "Invalid value [ for configuration pattern: Invalid regex: Unclosed character class near index 0\n[\n^",
    );
  });

  test("validate reports one error for an invalid regex and none for a valid one", () => {
    const def = new TopicNameMatches().config();
    expect(def.validate({ pattern: "my-prefix-.*" })[0]?.errors).toEqual([]);
    const errors = def.validate({ pattern: "*" })[0]?.errors ?? [];
    expect(errors).toHaveLength(1);
    expect(errors[0]).toContain("Invalid regex");
    expect(errors[0]).toContain("Dangling meta character '*'");
  });

  test("matches the whole topic name only", () => {
    const predicate = configured("my-prefix-.*");
    expect(predicate.test(onTopic("my-prefix-"))).toBe(true);
    expect(predicate.test(onTopic("my-prefix-foo"))).toBe(true);
    expect(predicate.test(onTopic("x-my-prefix-"))).toBe(false);
    expect(predicate.test(onTopic("x-my-prefix-foo"))).toBe(false);
    expect(predicate.test(onTopic("your-prefix-"))).toBe(false);
    expect(predicate.test(onTopic("your-prefix-foo"))).toBe(false);
    // A hand-built record without a topic is no match, as in Kafka.
    expect(predicate.test({ ...onTopic("x"), topic: null as unknown as string })).toBe(false);
  });

  test("Java regex syntax: inline flags, quoting, POSIX classes", () => {
    expect(configured("(?i)ORDERS\\..*").test(onTopic("orders.eu"))).toBe(true);
    expect(configured("\\Qa.b\\E").test(onTopic("axb"))).toBe(false);
    expect(configured("\\Qa.b\\E").test(onTopic("a.b"))).toBe(true);
    expect(configured("\\p{Lower}+-\\d+").test(onTopic("logs-42"))).toBe(true);
    expect(configured("\\p{Lower}+-\\d+").test(onTopic("Logs-42"))).toBe(false);
  });

  test("toString names the pattern", () => {
    expect(configured("a.*").toString()).toBe("TopicNameMatches{pattern=a.*}");
  });
});
