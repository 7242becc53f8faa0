import { describe, expect, test } from "bun:test";
import { AbstractConfig } from "../../../src/api/config-def.ts";
import { clientProperties } from "../../../src/runtime/config/task-client-properties.ts";
import { standaloneConfigDef } from "../../../src/runtime/config/worker-config.ts";
import { sinkGroupInstanceId } from "../../../src/runtime/task-execution/sink-group-instance-id.ts";

/** Kafka's rule for a group instance id (JoinGroupRequest.validateGroupInstanceId). */
const legal = (id: string) => /^[a-zA-Z0-9._-]{1,249}$/.test(id);

describe("a sink task's group.instance.id", () => {
  test("is the consumer's client.id and a short hash of the cluster when the connector's name is a legal id", () => {
    expect(sinkGroupInstanceId({ connector: "orders-sink", task: 3 }, "connect-prod")).toMatch(
      /^connector-consumer-orders-sink-3-[0-9a-f]{8}$/,
    );
  });

  test("is the same for a task wherever it runs in its cluster, and differs between clusters", () => {
    const id = { connector: "orders-sink", task: 0 };
    expect(sinkGroupInstanceId(id, "connect-prod")).toBe(sinkGroupInstanceId({ ...id }, "connect-prod"));
    // Two clusters running a sink of the same name share its consumer group: their tasks must not fence each other.
    expect(sinkGroupInstanceId(id, "connect-prod")).not.toBe(sinkGroupInstanceId(id, "connect-staging"));
  });

  test("differs between the tasks of a connector and between connectors", () => {
    const ids = new Set(
      ["a", "b", "a-1"].flatMap((connector) => [0, 1, 10].map((task) => sinkGroupInstanceId({ connector, task }, "c"))),
    );
    expect(ids.size).toBe(9);
  });

  test("is legal and distinct for names Kafka would refuse in an id: spaces, slashes, non-ASCII, 10,000 characters", () => {
    const names = ["orders sink", "orders/sink", "orders_sink", "zahlungsausgänge", "注文", "x".repeat(10_000)];
    const ids = names.map((connector) => sinkGroupInstanceId({ connector, task: 0 }, "c"));
    for (const id of ids) expect(legal(id)).toBe(true);
    expect(new Set(ids).size).toBe(names.length);
    expect(ids[0]).toStartWith("connector-consumer-orders_sink-");
    expect(sinkGroupInstanceId({ connector: "x".repeat(10_000), task: 7 }, "c")).toContain("-7-");
  });
});

describe("static membership in the client properties", () => {
  const worker = (props: Record<string, string> = {}) =>
    new AbstractConfig(standaloneConfigDef, {
      "bootstrap.servers": "localhost:9092",
      "key.converter": "org.apache.kafka.connect.json.JsonConverter",
      "value.converter": "org.apache.kafka.connect.json.JsonConverter",
      "offset.storage.file.filename": "/tmp/offsets",
      ...props,
    });
  const fixed = { "group.instance.id": "connector-consumer-s-0" };

  test("an empty consumer.group.instance.id (worker) or consumer.override.group.instance.id turns it off", () => {
    expect(clientProperties(worker(), "consumer", {}, fixed)["group.instance.id"]).toBe("connector-consumer-s-0");
    expect(
      clientProperties(worker({ "consumer.group.instance.id": "" }), "consumer", {}, fixed)["group.instance.id"],
    ).toBeUndefined();
    expect(
      clientProperties(worker(), "consumer", { "consumer.override.group.instance.id": " " }, fixed),
    ).not.toHaveProperty("group.instance.id");
  });
});
