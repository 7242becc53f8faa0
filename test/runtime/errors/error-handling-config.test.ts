import { describe, expect, test } from "bun:test";
import { ConfigError } from "../../../src/api/errors.ts";
import {
  dlqTopicConsumedError,
  errorHandlingConfigDef,
  parseErrorHandlingConfig,
} from "../../../src/runtime/errors/error-handling-config.ts";

function parseError(props: Record<string, string>): ConfigError {
  try {
    parseErrorHandlingConfig(props);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return error as ConfigError;
  }
  throw new Error("expected a ConfigError");
}

describe("parseErrorHandlingConfig", () => {
  test("Kafka's defaults", () => {
    expect(parseErrorHandlingConfig({})).toEqual({
      retryTimeoutMs: 0,
      retryDelayMaxMs: 60000,
      tolerance: "none",
      logEnable: false,
      logIncludeMessages: false,
      dlqTopicName: "",
      dlqTopicReplicationFactor: 3,
      dlqContextHeadersEnable: false,
    });
  });

  test("every key, parsed; the DLQ topic name trimmed", () => {
    expect(
      parseErrorHandlingConfig({
        "errors.retry.timeout": "-1",
        "errors.retry.delay.max.ms": "5000",
        "errors.tolerance": "all",
        "errors.log.enable": "TRUE",
        "errors.log.include.messages": "true",
        "errors.deadletterqueue.topic.name": "  dlq  ",
        "errors.deadletterqueue.topic.replication.factor": "1",
        "errors.deadletterqueue.context.headers.enable": "true",
      }),
    ).toEqual({
      retryTimeoutMs: -1,
      retryDelayMaxMs: 5000,
      tolerance: "all",
      logEnable: true,
      logIncludeMessages: true,
      dlqTopicName: "dlq",
      dlqTopicReplicationFactor: 1,
      dlqContextHeadersEnable: true,
    });
  });

  test.each([
    [
      "errors.retry.timeout",
      "soon",
      "Invalid value soon for configuration errors.retry.timeout: Not a number of type LONG",
    ],
    [
      "errors.retry.delay.max.ms",
      "1.5",
      "Invalid value 1.5 for configuration errors.retry.delay.max.ms: Not a number of type LONG",
    ],
    [
      "errors.tolerance",
      "some",
      "Invalid value some for configuration errors.tolerance: String must be one of: none, all",
    ],
    // Kafka's validator is case-sensitive.
    [
      "errors.tolerance",
      "ALL",
      "Invalid value ALL for configuration errors.tolerance: String must be one of: none, all",
    ],
    [
      "errors.log.enable",
      "yes",
      "Invalid value yes for configuration errors.log.enable: Expected value to be either true or false",
    ],
    [
      "errors.log.include.messages",
      "1",
      "Invalid value 1 for configuration errors.log.include.messages: Expected value to be either true or false",
    ],
    [
      "errors.deadletterqueue.topic.replication.factor",
      "40000",
      "Invalid value 40000 for configuration errors.deadletterqueue.topic.replication.factor: Not a number of type SHORT",
    ],
    [
      "errors.deadletterqueue.context.headers.enable",
      "on",
      "Invalid value on for configuration errors.deadletterqueue.context.headers.enable: Expected value to be either true or false",
    ],
  ])("%s=%s is refused naming the key", (key, value, message) => {
    const error = parseError({ [key]: value });
    expect(error.key).toBe(key);
    expect(error.message).toBe(message);
  });

  test("the ConfigDef reports every bad key for /config/validate", () => {
    const results = errorHandlingConfigDef.validate({ "errors.tolerance": "most", "errors.retry.timeout": "x" });
    const errors = Object.fromEntries(results.filter((r) => r.errors.length > 0).map((r) => [r.name, r.errors]));
    expect(Object.keys(errors).sort()).toEqual(["errors.retry.timeout", "errors.tolerance"]);
    expect(results.map((r) => r.name)).toHaveLength(8);
  });
});

describe("dlqTopicConsumedError", () => {
  test("a DLQ topic among the consumed topics is refused, naming topics", () => {
    const error = dlqTopicConsumedError({ topics: "orders, dlq ,orders", "errors.deadletterqueue.topic.name": " dlq" });
    expect(error).toBeInstanceOf(ConfigError);
    expect(error?.key).toBe("topics");
    expect(error?.message).toBe(
      "The DLQ topic 'dlq' may not be included in the list of topics ('topics=[orders, dlq]') consumed by the connector",
    );
  });

  test("a DLQ topic the topics.regex matches is refused, naming topics.regex", () => {
    const error = dlqTopicConsumedError({
      "topics.regex": "orders.*",
      "errors.deadletterqueue.topic.name": "orders-dlq",
    });
    expect(error?.key).toBe("topics.regex");
    expect(error?.message).toBe(
      "The DLQ topic 'orders-dlq' may not be matched by the regex for the topics ('topics.regex=orders.*') consumed by the connector",
    );
  });

  test("the regex must match the whole name, as Java's Pattern.matches", () => {
    expect(
      dlqTopicConsumedError({ "topics.regex": "orders", "errors.deadletterqueue.topic.name": "orders-dlq" }),
    ).toBeNull();
  });

  test("no DLQ, or a DLQ elsewhere, is fine", () => {
    expect(dlqTopicConsumedError({ topics: "orders" })).toBeNull();
    expect(dlqTopicConsumedError({ topics: "orders", "errors.deadletterqueue.topic.name": "  " })).toBeNull();
    expect(dlqTopicConsumedError({ topics: "orders", "errors.deadletterqueue.topic.name": "dlq" })).toBeNull();
    // An invalid regex is the topics.regex validator's to report.
    expect(dlqTopicConsumedError({ "topics.regex": "(", "errors.deadletterqueue.topic.name": "dlq" })).toBeNull();
  });
});
