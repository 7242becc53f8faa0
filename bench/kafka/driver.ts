/**
 * One timed produce or consume run with a sluice Kafka client, in a process of its own (as kcat runs in its own):
 * the Bun entry (bun-driver.ts) passes the FFI client, the Node entry (node-driver.ts) the kafka-javascript adapter.
 * The job comes as JSON in argv[2]; the result goes to stdout as one JSON line.
 *
 * Timed: from creating the client to the last delivery report (produce) or the N-th message (consume). Not timed:
 * making the payloads, loading the native library, closing the client.
 */
import type { KafkaClientFactory, ProduceRecord } from "../../src/kafka/types.ts";
import { makePayloads } from "./payloads.ts";

export interface DriverJob {
  readonly mode: "produce" | "consume";
  readonly bootstrap: string;
  readonly topic: string;
  readonly count: number;
  readonly size: number;
  readonly properties: Readonly<Record<string, string>>;
  /** Records per send, or messages per consume. */
  readonly batch: number;
  /** Consumer group (consume only). */
  readonly group?: string;
}

export interface DriverResult {
  readonly implementation: string;
  readonly seconds: number;
  readonly count: number;
  readonly bytes: number;
  /** Consume only: from creating the consumer to the first message (mostly the group join). */
  readonly firstMessageSeconds?: number;
}

export async function produce(factory: KafkaClientFactory, job: DriverJob): Promise<DriverResult> {
  const { topic, count, size, batch } = job;
  const payloads = makePayloads(count, size);
  const chunks: ProduceRecord[][] = [];
  for (let start = 0; start < count; start += batch) {
    const chunk: ProduceRecord[] = [];
    for (let i = start; i < Math.min(count, start + batch); i++) {
      chunk.push({ topic, partition: 0, key: null, value: payloads.subarray(i * size, (i + 1) * size) });
    }
    chunks.push(chunk);
  }
  const started = performance.now();
  const producer = await factory.createProducer({ "bootstrap.servers": job.bootstrap, ...job.properties });
  // Every batch is handed over at once: the producer waits for queue room by itself and keeps the order.
  const reports = await Promise.all(chunks.map((chunk) => producer.send(chunk)));
  const seconds = (performance.now() - started) / 1000;
  await producer.close();
  let delivered = 0;
  for (const chunk of reports) {
    for (const report of chunk) {
      if (!report.ok) throw report.error;
      delivered++;
    }
  }
  return { implementation: factory.implementation, seconds, count: delivered, bytes: delivered * size };
}

export async function consume(factory: KafkaClientFactory, job: DriverJob): Promise<DriverResult> {
  const started = performance.now();
  const consumer = await factory.createConsumer({
    "bootstrap.servers": job.bootstrap,
    "group.id": job.group ?? `${job.topic}-bench`,
    "auto.offset.reset": "earliest",
    ...job.properties,
  });
  consumer.subscribe([job.topic]);
  let count = 0;
  let bytes = 0;
  let first = 0;
  let idle = 0;
  while (count < job.count) {
    const batch = await consumer.consume(job.batch, 1000);
    const { messages } = batch;
    if (messages.length === 0 && ++idle > 30) throw new Error(`no message for 30 s after ${count} of ${job.count}`);
    if (first === 0 && messages.length > 0) first = performance.now();
    for (const message of messages) bytes += message.value?.byteLength ?? 0;
    count += messages.length;
    batch.release();
  }
  const seconds = (performance.now() - started) / 1000;
  await consumer.close();
  return {
    implementation: factory.implementation,
    seconds,
    count,
    bytes,
    firstMessageSeconds: (first - started) / 1000,
  };
}

/** The entry points' body: run the job in argv[2] and print its result. */
export async function runDriver(factory: KafkaClientFactory): Promise<void> {
  const job = JSON.parse(process.argv[2] ?? "{}") as DriverJob;
  const result = job.mode === "produce" ? await produce(factory, job) : await consume(factory, job);
  process.stdout.write(`${JSON.stringify(result)}\n`);
}
