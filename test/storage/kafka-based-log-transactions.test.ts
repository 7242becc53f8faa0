/**
 * A KafkaBasedLog over a topic that producers write to in transactions, as exactly-once source tasks write the
 * offsets topic: it applies committed records only, and `readToEnd` finishes although the log ends with a transaction
 * marker, which the consumer never gets as a record (counting records alone, it waited for ever).
 */
import { afterAll, describe, expect, test } from "bun:test";
import { createKafkaClientFactory } from "../../src/kafka/index.ts";
import type { Producer } from "../../src/kafka/types.ts";
import { KafkaBasedLog, type LogRecord } from "../../src/storage/kafka-based-log.ts";
import { BOOTSTRAP, uniqueTopic } from "../harness.ts";

const factory = await createKafkaClientFactory();
const closing: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const close of closing) await close();
});

const text = (bytes: Uint8Array | null) => (bytes === null ? null : new TextDecoder().decode(bytes));

async function transactionalProducer(): Promise<Producer> {
  const producer = await factory.createProducer({
    "bootstrap.servers": BOOTSTRAP,
    "transactional.id": uniqueTopic("log-txn"),
  });
  closing.push(() => producer.close(5000));
  await producer.transactions?.init(30_000);
  return producer;
}

async function write(producer: Producer, topic: string, value: string, outcome: "commit" | "abort"): Promise<void> {
  const transactions = producer.transactions;
  if (!transactions) throw new Error("transactional producer expected");
  transactions.begin();
  const sent = producer.send([{ topic, key: new TextEncoder().encode("k"), value: new TextEncoder().encode(value) }]);
  if (outcome === "commit") await transactions.commit(30_000);
  else await transactions.abort(30_000);
  await sent.catch(() => []);
}

/**
 * Reads to the end until `done`: a commit returns once the coordinator has decided, and its markers reach the
 * partition a moment later, so the committed records may become readable after the first read. Each read must end
 * quickly (it hung before, waiting for records that a marker ends).
 */
async function readUntil(log: KafkaBasedLog, done: () => boolean): Promise<void> {
  const deadline = performance.now() + 10_000;
  for (;;) {
    const started = performance.now();
    await log.readToEnd();
    expect(performance.now() - started).toBeLessThan(5000);
    if (done() || performance.now() > deadline) return;
    await Bun.sleep(50);
  }
}

describe("KafkaBasedLog over a transactional topic", () => {
  test("reads committed records only, and reads to the end past the transaction markers", async () => {
    const topic = uniqueTopic("log-transactions");
    const applied: LogRecord[] = [];
    const log = new KafkaBasedLog({
      topic,
      factory,
      clientProperties: { "bootstrap.servers": BOOTSTRAP },
      create: { partitions: 1, replicationFactor: 1 },
      topicConfigKey: "offset.storage.topic",
      topicPurpose: "source connector offsets",
      onRecord: (record) => applied.push(record),
    });
    await log.start();
    closing.push(() => log.stop());
    const producer = await transactionalProducer();

    const values = () => applied.map((r) => text(r.value));
    await write(producer, topic, "committed-1", "commit");
    await readUntil(log, () => values().length === 1);
    expect(values()).toEqual(["committed-1"]);

    await write(producer, topic, "aborted", "abort");
    await write(producer, topic, "committed-2", "commit");
    await readUntil(log, () => values().length === 2);
    expect(values()).toEqual(["committed-1", "committed-2"]);

    // Ending with an abort marker: nothing new to apply, and the read still ends.
    await write(producer, topic, "aborted-again", "abort");
    await readUntil(log, () => true);
    await Bun.sleep(500);
    await readUntil(log, () => true);
    expect(values()).toEqual(["committed-1", "committed-2"]);
  }, 60_000);
});
