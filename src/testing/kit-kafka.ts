import { ensureNativeBuild } from "../dev/setup.ts";
import { createKafkaClientFactory } from "../kafka/index.ts";
import type { Admin, KafkaClientFactory, TopicPartitionOffset } from "../kafka/types.ts";

let factory: Promise<KafkaClientFactory> | undefined;

/**
 * One client factory for every round trip of the process, as a worker has one. librdkafka is built first when it
 * is missing, as `bun run worker` does: an outside repository has not run sluice's setup.
 */
export function kitKafka(): Promise<KafkaClientFactory> {
  factory ??= (async () => {
    await ensureNativeBuild({ quiet: true });
    return createKafkaClientFactory();
  })();
  return factory;
}

let sequence = 0;

/**
 * A topic no other run uses (the broker is shared and long-lived: a fixed name would see records of earlier runs),
 * named after the connector so that a topic left by a failed run says whose it was.
 */
export function uniqueTopic(className: string): string {
  const simple = className.split(".").pop() ?? className;
  sequence += 1;
  return `conformance-${simple}-${process.pid}-${Date.now().toString(36)}-${sequence}`.replace(/[^a-zA-Z0-9._-]/g, "-");
}

/** Runs `use` with an admin client of these servers, closed after. */
export async function withAdmin<T>(bootstrap: string, use: (admin: Admin) => Promise<T>): Promise<T> {
  const admin = await (await kitKafka()).createAdmin({ "bootstrap.servers": bootstrap });
  try {
    return await use(admin);
  } finally {
    await admin.close();
  }
}

/** Each partition's end offset (the offset the next record gets), by partition number. */
export async function endOffsets(admin: Admin, topic: string, partitions: number): Promise<TopicPartitionOffset[]> {
  const all = Array.from({ length: partitions }, (_, partition) => ({ topic, partition, spec: "latest" as const }));
  return admin.listOffsets(all, { timeoutMs: 10_000 });
}

export function total(offsets: readonly TopicPartitionOffset[]): number {
  return offsets.reduce((sum, entry) => sum + entry.offset, 0);
}
