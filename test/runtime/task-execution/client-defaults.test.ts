import { describe, expect, test } from "bun:test";
import { AbstractConfig } from "../../../src/api/config-def.ts";
import {
  clientProperties,
  SINK_CONSUMER_DEFAULTS,
  SOURCE_PRODUCER_DEFAULTS,
  sinkConsumerDefaults,
} from "../../../src/runtime/config/task-client-properties.ts";
import { standaloneConfigDef } from "../../../src/runtime/config/worker-config.ts";

describe("a sink task's consumer defaults", () => {
  test("one task gets the whole read-ahead", () => {
    expect(sinkConsumerDefaults({})).toEqual({ ...SINK_CONSUMER_DEFAULTS });
    expect(sinkConsumerDefaults({ "tasks.max": "1" })).toEqual({ ...SINK_CONSUMER_DEFAULTS });
  });

  test("a connector's tasks split it, down to a quarter each", () => {
    expect(sinkConsumerDefaults({ "tasks.max": "2" })).toMatchObject({
      "queued.min.messages": "10000",
      "queued.max.messages.kbytes": "16384",
    });
    for (const tasks of ["4", "16", "1000"])
      expect(sinkConsumerDefaults({ "tasks.max": tasks })).toMatchObject({
        "queued.min.messages": "5000",
        "queued.max.messages.kbytes": "8192",
        "partition.assignment.strategy": "range,roundrobin",
      });
  });

  test("a tasks.max that is not a positive number counts as one task (the connector's validation reports it)", () => {
    for (const tasks of ["0", "-3", "many", ""])
      expect(sinkConsumerDefaults({ "tasks.max": tasks })["queued.max.messages.kbytes"]).toBe("32768");
  });
});

describe("a source task's producer defaults", () => {
  const worker = (props: Record<string, string> = {}) =>
    new AbstractConfig(standaloneConfigDef, {
      "bootstrap.servers": "localhost:9092",
      "key.converter": "org.apache.kafka.connect.json.JsonConverter",
      "value.converter": "org.apache.kafka.connect.json.JsonConverter",
      "offset.storage.file.filename": "/tmp/offsets",
      ...props,
    });
  const producer = (workerProps?: Record<string, string>, connector: Record<string, string> = {}) =>
    clientProperties(worker(workerProps), "producer", connector, { ...SOURCE_PRODUCER_DEFAULTS })[
      "queue.buffering.max.kbytes"
    ];

  test("bound the producer queue (memory the task holds until the broker acknowledges) at Kafka's 32 MiB", () => {
    expect(producer()).toBe("32768");
  });

  test("the worker's producer.* and the connector's producer.override.* win, in that order", () => {
    expect(producer({ "producer.queue.buffering.max.kbytes": "1024" })).toBe("1024");
    expect(
      producer(
        { "producer.queue.buffering.max.kbytes": "1024" },
        { "producer.override.queue.buffering.max.kbytes": "2048" },
      ),
    ).toBe("2048");
  });
});
