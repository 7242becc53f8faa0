/**
 * Issue 11, finding 3: workers of a new group started in the same instant; one got "already exists" for an internal
 * topic that another had just created, described it before the broker's metadata had caught up, and exited with
 * `Topic "...-status" does not exist`. As Kafka's KafkaBasedLog waits for the topic's partitions (up to 30 s), the
 * log now retries a describe that says the topic does not exist. Here the admin client says so for its first
 * answers, as a broker whose metadata has not propagated yet.
 */
import { describe, expect, test } from "bun:test";
import { NotFoundError } from "../../src/api/errors.ts";
import { createKafkaClientFactory } from "../../src/kafka/index.ts";
import type { Admin, KafkaClientFactory } from "../../src/kafka/types.ts";
import { KafkaBasedLog } from "../../src/storage/kafka-based-log.ts";
import { BOOTSTRAP, uniqueTopic } from "../harness.ts";

/** A factory whose admins answer "does not exist" to the first `misses` describes of each kind. */
function lagging(factory: KafkaClientFactory, misses: number): { factory: KafkaClientFactory; refused: () => number } {
  let refused = 0;
  const wrap = (admin: Admin): Admin => {
    const left = { topics: misses, configs: misses };
    return new Proxy(admin, {
      get(target, property, receiver) {
        const value = Reflect.get(target, property, receiver);
        if (typeof value !== "function") return value;
        const kind = property === "describeTopics" ? "topics" : property === "describeTopicConfigs" ? "configs" : null;
        return (...args: unknown[]) => {
          if (kind !== null && left[kind] > 0) {
            left[kind]--;
            refused++;
            const topic = (args[0] as string[])[0];
            return Promise.reject(new NotFoundError(`Topic "${topic}" does not exist`, { code: "TOPIC_NOT_FOUND" }));
          }
          return value.apply(target, args);
        };
      },
    });
  };
  return {
    factory: new Proxy(factory, {
      get(target, property) {
        if (property === "createAdmin")
          return async (props: Parameters<KafkaClientFactory["createAdmin"]>[0]) =>
            wrap(await target.createAdmin(props));
        const value = Reflect.get(target, property);
        return typeof value === "function" ? value.bind(target) : value;
      },
    }),
    refused: () => refused,
  };
}

function log(factory: KafkaClientFactory, topic: string): KafkaBasedLog {
  return new KafkaBasedLog({
    topic,
    factory,
    clientProperties: { "bootstrap.servers": BOOTSTRAP },
    create: { partitions: 1, replicationFactor: 1 },
    topicConfigKey: "status.storage.topic",
    topicPurpose: "connector and task statuses",
    onRecord: () => {},
  });
}

describe("a KafkaBasedLog whose topic another worker has just created", () => {
  test("waits for the topic's metadata instead of failing", async () => {
    const kafka = await createKafkaClientFactory();
    const topic = uniqueTopic("propagation");
    // Another worker creates the topic first: this one then gets "already exists".
    const first = log(kafka, topic);
    await first.start();
    await first.stop();
    const { factory, refused } = lagging(kafka, 3);
    const second = log(factory, topic);
    await second.start();
    expect(refused()).toBe(6);
    expect(second.partitionCount).toBe(1);
    await second.stop();
  }, 60_000);
});
