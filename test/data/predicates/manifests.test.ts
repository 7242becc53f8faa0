import { describe, expect, test } from "bun:test";
import { predicateManifests } from "../../../src/data/predicates/manifests.ts";

describe("predicateManifests", () => {
  test("Kafka's class names and simple names, as predicates", () => {
    const names = predicateManifests.map((m) => [m.type, m.className, ...(m.aliases ?? [])]);
    expect(names).toEqual([
      ["predicate", "org.apache.kafka.connect.transforms.predicates.TopicNameMatches", "TopicNameMatches"],
      ["predicate", "org.apache.kafka.connect.transforms.predicates.HasHeaderKey", "HasHeaderKey"],
      ["predicate", "org.apache.kafka.connect.transforms.predicates.RecordIsTombstone", "RecordIsTombstone"],
    ]);
  });

  test("each creates a fresh instance", () => {
    for (const manifest of predicateManifests) expect(manifest.create()).not.toBe(manifest.create());
  });
});
