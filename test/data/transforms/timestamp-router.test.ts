// biome-ignore-all lint/suspicious/noTemplateCurlyInString: `${topic}`-style placeholders are Kafka's literal syntax here
import { describe, expect, test } from "bun:test";
import { ConfigError, DataError } from "../../../src/api/errors.ts";
import { sourceRecord } from "../../../src/api/record.ts";
import { TimestampRouter } from "../../../src/data/transforms/timestamp-router.ts";

const router = (configs: Record<string, string> = {}) => {
  const transform = new TimestampRouter();
  transform.configure(configs);
  return transform;
};

describe("TimestampRouter", () => {
  test("default configuration: ${topic}-${timestamp} with yyyyMMdd in UTC", () => {
    const record = sourceRecord({ topic: "test", kafkaPartition: 0, value: null, timestamp: 1483425001864 });
    expect(router().apply(record).topic).toBe("test-20170103");
  });

  test("custom formats, placeholders repeated or absent", () => {
    const record = sourceRecord({ topic: "orders", value: "v", timestamp: Date.UTC(2024, 1, 29, 23, 5, 9) });
    expect(router({ "topic.format": "${timestamp}_${topic}", "timestamp.format": "yyyy-MM" }).apply(record).topic).toBe(
      "2024-02_orders",
    );
    expect(router({ "topic.format": "${topic}.${topic}", "timestamp.format": "HH" }).apply(record).topic).toBe(
      "orders.orders",
    );
    expect(router({ "timestamp.format": "yyyy'w'ww-HH" }).apply(record).topic).toBe("orders-2024w09-23");
    expect(router({ "topic.format": "fixed" }).apply(record).topic).toBe("fixed");
  });

  test("the topic is substituted before the timestamp, as in Kafka", () => {
    const record = sourceRecord({ topic: "a${timestamp}", value: null, timestamp: 0 });
    expect(router().apply(record).topic).toBe("a19700101-19700101");
  });

  test("dollar signs in the topic are kept literally", () => {
    const record = sourceRecord({ topic: "a$1$$", value: null, timestamp: 0 });
    expect(router().apply(record).topic).toBe("a$1$$-19700101");
  });

  test("keeps every other field and does not change the input", () => {
    const record = sourceRecord({ topic: "t", key: "k", value: { a: 1 }, timestamp: 0 });
    const routed = router().apply(record);
    expect(routed).toEqual({ ...record, topic: "t-19700101" });
    expect(record.topic).toBe("t");
  });

  test("a record without a timestamp is a data error", () => {
    expect(() => router().apply(sourceRecord({ topic: "t", value: null }))).toThrow(DataError);
    expect(() => router().apply(sourceRecord({ topic: "t", value: null }))).toThrow("Timestamp missing on record");
  });

  test("an invalid timestamp.format is a config error", () => {
    expect(() => router({ "timestamp.format": "yyyyq" })).toThrow(ConfigError);
    expect(() => router({ "timestamp.format": "yyyyq" })).toThrow(
      "Invalid value yyyyq for configuration timestamp.format: Illegal pattern character 'q'",
    );
  });
});
