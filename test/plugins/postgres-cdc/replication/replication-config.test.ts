import { describe, expect, test } from "bun:test";
import { readReplicationConfig } from "../../../../plugins/postgres-cdc/replication/replication-config.ts";
import { ConfigError } from "../../../../src/index.ts";

describe("Debezium's replication keys", () => {
  test("defaults as Debezium's PostgresConnectorConfig", () => {
    expect(readReplicationConfig({})).toEqual({
      slotName: "debezium",
      dropSlotOnStop: false,
      publicationName: "dbz_publication",
      publicationAutocreateMode: "all_tables",
      publishViaPartitionRoot: false,
      statusUpdateIntervalMs: 10_000,
    });
  });

  test("values are read, modes case-insensitively", () => {
    expect(
      readReplicationConfig({
        "slot.name": "orders_slot",
        "slot.drop.on.stop": "true",
        "publication.name": "Orders Pub",
        "publication.autocreate.mode": " FILTERED ",
        "publish.via.partition.root": "TRUE",
        "status.update.interval.ms": "500",
      }),
    ).toEqual({
      slotName: "orders_slot",
      dropSlotOnStop: true,
      publicationName: "Orders Pub",
      publicationAutocreateMode: "filtered",
      publishViaPartitionRoot: true,
      statusUpdateIntervalMs: 500,
    });
  });

  const invalid: [Record<string, string>, string][] = [
    [{ "slot.name": "Orders" }, 'Invalid value Orders for configuration "slot.name"'],
    [{ "slot.name": "x".repeat(64) }, "length <= 63"],
    [{ "publication.autocreate.mode": "some" }, "expected one of all_tables, disabled, filtered, no_tables"],
    [{ "status.update.interval.ms": "0" }, 'configuration "status.update.interval.ms": expected a positive integer'],
    [{ "slot.drop.on.stop": "yes" }, 'Invalid value yes for configuration "slot.drop.on.stop"'],
  ];
  for (const [config, message] of invalid) {
    test(`rejects ${JSON.stringify(config)} with a ConfigError naming the key`, () => {
      expect(() => readReplicationConfig(config)).toThrow(ConfigError);
      expect(() => readReplicationConfig(config)).toThrow(message);
    });
  }
});
