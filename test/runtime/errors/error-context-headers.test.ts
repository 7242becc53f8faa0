/**
 * Issue 11, finding 8: the DLQ header `__connect.errors.exception.class.name` said `DataError` where Kafka writes
 * `org.apache.kafka.connect.errors.DataException`, and tools filter on that name.
 */
import { describe, expect, test } from "bun:test";
import {
  AlreadyExistsError,
  ConfigError,
  ConnectError,
  DataError,
  NotFoundError,
  RetriableError,
} from "../../../src/api/errors.ts";
import { errorClassName } from "../../../src/runtime/errors/error-context-headers.ts";
import { RecordConversionError } from "../../../src/runtime/pipeline/record-conversion.ts";
import { TransformationError } from "../../../src/runtime/pipeline/transformation-chain.ts";

describe("the exception class a DLQ record names", () => {
  test("the plugin contract's errors by Kafka's Java class names; a subclass by its base", () => {
    expect(errorClassName(new DataError("x"))).toBe("org.apache.kafka.connect.errors.DataException");
    expect(errorClassName(new TransformationError("cast", "Cast$Value", new Error("x")))).toBe(
      "org.apache.kafka.connect.errors.DataException",
    );
    expect(errorClassName(new RecordConversionError("VALUE_CONVERTER", "a record", new Error("x")))).toBe(
      "org.apache.kafka.connect.errors.DataException",
    );
    expect(errorClassName(new RetriableError("x"))).toBe("org.apache.kafka.connect.errors.RetriableException");
    expect(errorClassName(new NotFoundError("x"))).toBe("org.apache.kafka.connect.errors.NotFoundException");
    expect(errorClassName(new AlreadyExistsError("x"))).toBe("org.apache.kafka.connect.errors.AlreadyExistsException");
    expect(errorClassName(new ConfigError("x"))).toBe("org.apache.kafka.common.config.ConfigException");
    expect(errorClassName(new ConnectError("x"))).toBe("org.apache.kafka.connect.errors.ConnectException");
  });

  test("other errors by their JavaScript class (they have no Java counterpart)", () => {
    expect(errorClassName(new TypeError("x"))).toBe("TypeError");
    class PluginFailure extends Error {}
    expect(errorClassName(new PluginFailure("x"))).toBe("PluginFailure");
    expect(errorClassName("a string thrown")).toBe("string");
  });
});
