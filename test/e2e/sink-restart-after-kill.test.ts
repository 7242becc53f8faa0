/**
 * A sink connector's tasks consume again soon after their worker is SIGKILLed and restarted: their consumers are
 * static members of the group (group.instance.id per task), so the restarted tasks take the dead members' places at
 * once instead of waiting out their 45 s sessions (about 40 s of idling before). Nothing is lost either way.
 */
import { afterAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { createKafkaClientFactory } from "../../src/kafka/index.ts";
import { BOOTSTRAP, uniqueTopic } from "../harness.ts";
import { freePort, spawnWorker, tempDir, type WorkerProcess, waitUntil, writeProperties } from "../worker-harness.ts";

setDefaultTimeout(120_000);

const PARTITIONS = 2;
const encoder = new TextEncoder();

function lines(path: string): string[] {
  return existsSync(path) ? readFileSync(path, "utf8").split("\n").filter(Boolean) : [];
}

async function produce(topic: string, values: readonly string[]): Promise<void> {
  const kafka = await createKafkaClientFactory();
  const producer = await kafka.createProducer({ "bootstrap.servers": BOOTSTRAP });
  const reports = await producer.send(
    values.map((value, i) => ({ topic, partition: i % PARTITIONS, key: null, value: encoder.encode(value) })),
  );
  await producer.close();
  expect(reports.every((r) => r.ok)).toBe(true);
}

describe("a sink after its worker is SIGKILLed", () => {
  const workers: WorkerProcess[] = [];
  afterAll(() => {
    for (const worker of workers) worker.proc.kill("SIGKILL");
  });

  test("consumes again within 10 s of the restart (the consumers' session timeout is 45 s)", async () => {
    const dir = tempDir();
    const topic = uniqueTopic("sink-restart");
    const kafka = await createKafkaClientFactory();
    const admin = await kafka.createAdmin({ "bootstrap.servers": BOOTSTRAP });
    await admin.createTopics([{ topic, numPartitions: PARTITIONS, replicationFactor: 1 }]);
    await admin.close();
    const output = join(dir, "sink.txt");
    const args = [
      "standalone",
      writeProperties(join(dir, "worker.properties"), {
        "bootstrap.servers": BOOTSTRAP,
        "key.converter": "org.apache.kafka.connect.storage.StringConverter",
        "value.converter": "org.apache.kafka.connect.storage.StringConverter",
        "offset.storage.file.filename": join(dir, "offsets.json"),
        "offset.flush.interval.ms": "1000",
        listeners: `http://127.0.0.1:${freePort()}`,
      }),
      writeProperties(join(dir, "sink.properties"), {
        name: `sink-restart-${topic}`,
        "connector.class": "FileStreamSink",
        "tasks.max": String(PARTITIONS),
        file: output,
        topics: topic,
      }),
    ];
    const before = Array.from({ length: 100 }, (_, i) => `before-${i}`);
    await produce(topic, before);
    const first = spawnWorker(args);
    workers.push(first);
    await waitUntil(
      () => lines(output).length >= before.length,
      60_000,
      () => `${lines(output).length} lines; worker said:\n${first.output()}`,
    );
    first.proc.kill("SIGKILL");
    await first.exited;

    const after = Array.from({ length: 20 }, (_, i) => `after-${i}`);
    await produce(topic, after);
    const restartedAt = performance.now();
    const second = spawnWorker(args);
    workers.push(second);
    await waitUntil(
      () => after.every((line) => lines(output).includes(line)),
      60_000,
      () => `${lines(output).length} lines; worker said:\n${second.output()}`,
    );
    const idleMs = performance.now() - restartedAt;
    expect(idleMs).toBeLessThan(10_000);
    // Everything arrived (records after the last commit may arrive twice: at least once, as Kafka's sinks).
    expect(new Set(lines(output))).toEqual(new Set([...before, ...after]));
  });
});
