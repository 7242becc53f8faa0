import { describe, expect, test } from "bun:test";
import { AbstractConfig } from "../../../src/api/config-def.ts";
import { ConfigError } from "../../../src/api/errors.ts";
import { sourceConnectorConfigDef } from "../../../src/runtime/config/connector-config.ts";
import { distributedConfigDef } from "../../../src/runtime/config/distributed-config.ts";
import {
  exactlyOnceSourceEnabled,
  exactlyOnceSourceSupport,
  sourceTransactionSettings,
  transactionalLeaderEnabled,
} from "../../../src/runtime/config/exactly-once-config.ts";
import { standaloneConfigDef } from "../../../src/runtime/config/worker-config.ts";

const COMMON = {
  "key.converter": "org.apache.kafka.connect.storage.StringConverter",
  "value.converter": "org.apache.kafka.connect.storage.StringConverter",
};
const distributed = (props: Record<string, string> = {}) =>
  new AbstractConfig(distributedConfigDef, {
    ...COMMON,
    "group.id": "g",
    "config.storage.topic": "c",
    "offset.storage.topic": "o",
    "status.storage.topic": "s",
    ...props,
  });
const standalone = (props: Record<string, string> = {}) =>
  new AbstractConfig(standaloneConfigDef, { ...COMMON, "offset.storage.file.filename": "/tmp/x", ...props });

function thrown(run: () => unknown): ConfigError {
  try {
    run();
  } catch (error) {
    return error as ConfigError;
  }
  throw new Error("nothing was thrown");
}

describe("the worker's exactly.once.source.support", () => {
  test("distributed mode: disabled by default; enabled and preparing in any case, as Kafka reads them", () => {
    const off = distributed();
    expect([exactlyOnceSourceSupport(off), exactlyOnceSourceEnabled(off), transactionalLeaderEnabled(off)]).toEqual([
      "disabled",
      false,
      false,
    ]);
    const on = distributed({ "exactly.once.source.support": "Enabled" });
    expect([exactlyOnceSourceSupport(on), exactlyOnceSourceEnabled(on), transactionalLeaderEnabled(on)]).toEqual([
      "enabled",
      true,
      true,
    ]);
    // The first step of moving a running cluster: a fenceable leader, but tasks not yet transactional.
    const preparing = distributed({ "exactly.once.source.support": " PREPARING " });
    expect([exactlyOnceSourceEnabled(preparing), transactionalLeaderEnabled(preparing)]).toEqual([false, true]);
  });

  test("another value stops a distributed worker with Kafka's message, naming the key", () => {
    const error = thrown(() => distributed({ "exactly.once.source.support": "on" }));
    expect(error).toBeInstanceOf(ConfigError);
    expect(error.key).toBe("exactly.once.source.support");
    expect(error.message).toBe(
      "Invalid value on for configuration exactly.once.source.support: String must be one of (case insensitive): DISABLED, ENABLED, PREPARING",
    );
  });

  test("standalone mode has no such key, as Kafka's: any value is ignored and exactly-once is off", () => {
    for (const value of ["enabled", "nonsense"]) {
      const config = standalone({ "exactly.once.source.support": value });
      expect([exactlyOnceSourceSupport(config), exactlyOnceSourceEnabled(config)]).toEqual([null, false]);
    }
    expect(standaloneConfigDef.configKeys().has("exactly.once.source.support")).toBe(false);
  });

  test("is documented as a high-importance distributed key defaulting to disabled", () => {
    expect(distributedConfigDef.configKeys().get("exactly.once.source.support")).toMatchObject({
      type: "string",
      defaultValue: "disabled",
      importance: "high",
    });
  });
});

describe("a source connector's exactly-once keys", () => {
  test("defaults: requested, poll, no interval, the worker's offsets topic", () => {
    expect(sourceTransactionSettings({ name: "c" }, distributed())).toEqual({
      exactlyOnceSupport: "requested",
      transactionBoundary: "poll",
      transactionBoundaryIntervalMs: null,
      offsetsStorageTopic: null,
    });
  });

  test("an interval boundary without its own interval takes the worker's offset.flush.interval.ms", () => {
    const worker = distributed({ "offset.flush.interval.ms": "2500" });
    expect(
      sourceTransactionSettings({ "transaction.boundary": "interval" }, worker).transactionBoundaryIntervalMs,
    ).toBe(2500);
    expect(sourceTransactionSettings({ "transaction.boundary": "interval" }).transactionBoundaryIntervalMs).toBeNull();
    const own = { "transaction.boundary": "INTERVAL", "transaction.boundary.interval.ms": "0" };
    expect(sourceTransactionSettings(own, worker).transactionBoundaryIntervalMs).toBe(0);
    // Kafka: the interval has no effect with another boundary.
    const poll = { "transaction.boundary": "poll", "transaction.boundary.interval.ms": "100" };
    expect(sourceTransactionSettings(poll, worker).transactionBoundaryIntervalMs).toBeNull();
  });

  test("values are read in any case and trimmed, as Kafka parses them", () => {
    const settings = sourceTransactionSettings({
      "exactly.once.support": " REQUIRED ",
      "transaction.boundary": "Connector",
      "offsets.storage.topic": " my-offsets ",
    });
    expect(settings).toMatchObject({
      exactlyOnceSupport: "required",
      transactionBoundary: "connector",
      offsetsStorageTopic: "my-offsets",
    });
  });

  test("a bad value is a ConfigError on its key, in Kafka's words", () => {
    const cases: [Record<string, string>, string][] = [
      [
        { "exactly.once.support": "maybe" },
        "Invalid value maybe for configuration exactly.once.support: String must be one of (case insensitive): REQUIRED, REQUESTED",
      ],
      [
        { "transaction.boundary": "never" },
        "Invalid value never for configuration transaction.boundary: String must be one of (case insensitive): INTERVAL, POLL, CONNECTOR",
      ],
      [
        { "transaction.boundary.interval.ms": "-1" },
        "Invalid value -1 for configuration transaction.boundary.interval.ms: Value must be at least 0",
      ],
      [
        { "transaction.boundary.interval.ms": "abc" },
        "Invalid value abc for configuration transaction.boundary.interval.ms: Not a number of type LONG",
      ],
      [
        { "offsets.storage.topic": "" },
        "Invalid value  for configuration offsets.storage.topic: String must be non-empty",
      ],
    ];
    for (const [config, message] of cases) {
      const error = thrown(() => sourceTransactionSettings(config));
      expect({ key: error.key, message: error.message }).toEqual({ key: Object.keys(config)[0], message });
    }
  });

  test("are source connector keys in Kafka's groups and orders", () => {
    const keys = sourceConnectorConfigDef.configKeys();
    const described = [
      "exactly.once.support",
      "transaction.boundary",
      "transaction.boundary.interval.ms",
      "offsets.storage.topic",
    ].map((name) => {
      const key = keys.get(name);
      return [name, key?.type, key?.defaultValue, key?.importance, key?.group, key?.orderInGroup, key?.width];
    });
    expect(described).toEqual([
      ["exactly.once.support", "string", "requested", "medium", "Exactly Once Support", 2, "short"],
      ["transaction.boundary", "string", "poll", "medium", "Exactly Once Support", 3, "short"],
      ["transaction.boundary.interval.ms", "long", null, "low", "Exactly Once Support", 4, "short"],
      ["offsets.storage.topic", "string", null, "low", "offsets.topic", 1, "long"],
    ]);
  });
});
