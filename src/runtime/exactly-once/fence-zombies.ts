/**
 * Zombie fencing for a source connector with exactly-once support (Kafka's Worker.fenceZombies over
 * Admin.fenceProducers): every transactional.id that the connector's earlier tasks used is registered anew, which
 * bumps its producer epoch and fences out any producer still using it (its open transaction is aborted, its next call
 * fails), so that no task of an earlier generation can write once the new generation starts. librdkafka has no
 * fenceProducers; a producer's init_transactions sends the same InitProducerId request.
 */
import { ConnectError } from "../../api/errors.ts";
import type { KafkaClientFactory, KafkaProperties } from "../../kafka/types.ts";

/** Kafka's Worker.taskTransactionalId: `<group.id>-<connector>-<task>`. */
export function taskTransactionalId(groupId: string, connector: string, task: number): string {
  return `${groupId}-${connector}-${task}`;
}

/** Producers registered at once: a connector may have many tasks, and each fencing opens a connection. */
const PARALLEL = 8;

export async function fenceZombies(options: {
  readonly kafka: KafkaClientFactory;
  /** The producer properties (bootstrap servers, security) to register the ids with. */
  readonly properties: KafkaProperties;
  readonly groupId: string;
  readonly connector: string;
  /** The earlier generation's task count: tasks 0..count-1 are fenced. */
  readonly count: number;
  readonly timeoutMs: number;
}): Promise<void> {
  const { kafka, properties, groupId, connector, count, timeoutMs } = options;
  const ids = Array.from({ length: count }, (_, task) => taskTransactionalId(groupId, connector, task));
  for (let start = 0; start < ids.length; start += PARALLEL) {
    await Promise.all(
      ids.slice(start, start + PARALLEL).map(async (id) => {
        const producer = await kafka.createProducer({ ...properties, "transactional.id": id });
        try {
          if (!producer.transactions) {
            throw new ConnectError(`Zombie fencing needs transactional producers, which this Kafka client lacks`, {
              code: "UNSUPPORTED",
            });
          }
          await producer.transactions.init(timeoutMs);
        } finally {
          await producer.close(timeoutMs);
        }
      }),
    );
  }
}
