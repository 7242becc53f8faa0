/**
 * The leader's writer of the config topic when exactly-once source support is enabled or being prepared (Kafka's
 * "fencable producer" of KafkaConfigBackingStore): a transactional producer with the cluster's transactional.id,
 * `connect-cluster-<group.id>`, and one transaction per write. A leader that claims the id fences every earlier one,
 * so a worker that still thinks it leads (cut off from the group, paused) can no longer write connector or task
 * configurations, session keys or task count records over the new leader's. A write that fails gives the id up;
 * the herder claims it again only while it leads.
 */
import { ConnectError } from "../api/errors.ts";
import { KafkaError } from "../kafka/errors.ts";
import type { KafkaClientFactory, KafkaProperties, Producer } from "../kafka/types.ts";

const RETRY_BACKOFF_MS = 500;
/** One transaction's commit may take this long before the write is tried again with a new producer. */
const ATTEMPT_TIMEOUT_MS = 5000;

/** The producer was fenced out by a newer one with the same transactional.id. */
function isFenced(error: unknown): boolean {
  return (
    error instanceof KafkaError && ["_FENCED", "PRODUCER_FENCED", "INVALID_PRODUCER_EPOCH"].includes(error.errorName)
  );
}

/** Kafka's PrivilegedWriteException: a write only the leader may make failed, or was made without the claim. */
export class PrivilegedWriteError extends ConnectError {
  constructor(message: string, cause?: unknown) {
    super(message, { code: "PRIVILEGED_WRITE_FAILED", cause });
  }
}

/** Kafka's DistributedConfig.transactionalProducerId. */
export function clusterTransactionalId(groupId: string): string {
  return `connect-cluster-${groupId}`;
}

export interface FencableConfigWriterOptions {
  readonly factory: KafkaClientFactory;
  /** The worker's client properties; the transactional ones are added. */
  readonly properties: KafkaProperties;
  readonly groupId: string;
  readonly topic: string;
  readonly timeoutMs: number;
}

export class FencableConfigWriter {
  #producer: Producer | null = null;
  /** The write under way: a producer runs one transaction at a time, so writes asked for together wait their turn. */
  #last: Promise<unknown> = Promise.resolve();

  constructor(private readonly options: FencableConfigWriterOptions) {}

  get claimed(): boolean {
    return this.#producer !== null;
  }

  /** Registers the cluster's transactional.id (fencing any earlier leader's producer); nothing if already held. */
  async claim(): Promise<void> {
    if (this.#producer !== null) return;
    const { factory, properties, groupId, timeoutMs } = this.options;
    const producer = await factory.createProducer({
      ...properties,
      "client.id": `${groupId}-configs-leader`,
      acks: "all",
      "enable.idempotence": "true",
      "transactional.id": clusterTransactionalId(groupId),
    });
    try {
      if (!producer.transactions) throw new ConnectError("The Kafka client has no transactional producers");
      await producer.transactions.init(timeoutMs);
    } catch (error) {
      await producer.close(1000).catch(() => undefined);
      throw new ConnectError("Failed to create and initialize fencable producer for config topic", { cause: error });
    }
    this.#producer = producer;
  }

  /**
   * Writes the records in one transaction (all or none); resolves with the highest offset written. Throws
   * PrivilegedWriteError, having given the id up.
   */
  send(records: readonly { readonly key: Uint8Array | null; readonly value: Uint8Array | null }[]): Promise<number> {
    const write = this.#last.then(() => this.#send(records));
    this.#last = write.catch(() => undefined);
    return write;
  }

  async #send(
    records: readonly { readonly key: Uint8Array | null; readonly value: Uint8Array | null }[],
  ): Promise<number> {
    const producer = this.#producer;
    if (!producer?.transactions) {
      throw new PrivilegedWriteError("Cannot produce to config topic without claiming write privileges first");
    }
    const deadline = Date.now() + this.options.timeoutMs;
    for (let current = producer; ; ) {
      const left = () => Math.max(1, deadline - Date.now());
      try {
        const transactions = current.transactions as NonNullable<Producer["transactions"]>;
        transactions.begin();
        const sent = current.send(records.map((r) => ({ topic: this.options.topic, partition: 0, ...r })));
        // Fenced, the producer rejects the send as well as the commit: the commit's error is the one reported.
        sent.catch(() => undefined);
        await transactions.commit(Math.min(ATTEMPT_TIMEOUT_MS, left()));
        const reports = await sent;
        const failed = reports.find((report) => !report.ok);
        if (failed && !failed.ok) throw failed.error;
        return Math.max(-1, ...reports.map((report) => (report.ok ? report.offset : -1)));
      } catch (error) {
        // Fenced: another leader holds the id now; claiming it back is the herder's call, and only while it leads.
        // Anything else is retried with a new producer until the timeout: on a config topic created a moment ago the
        // transaction coordinator may not know it yet (UNKNOWN_TOPIC_OR_PART, which Java's producer retries), and
        // librdkafka's abort of that transaction then fails with INVALID_TXN_STATE, leaving the producer unusable.
        if (!isFenced(error) && Date.now() + RETRY_BACKOFF_MS < deadline) {
          this.#producer = null;
          await current.close(0).catch(() => undefined);
          await Bun.sleep(RETRY_BACKOFF_MS);
          try {
            await this.claim();
          } catch {
            // tried again at the next turn while time is left
          }
          if (this.#producer !== null) {
            current = this.#producer;
            continue;
          }
        }
        await this.relinquish();
        throw new PrivilegedWriteError(
          "Failed to write to config topic; this may be due to a transient error and the request can be safely retried",
          error,
        );
      }
    }
  }

  async relinquish(): Promise<void> {
    const producer = this.#producer;
    this.#producer = null;
    await producer?.close(1000).catch(() => undefined);
  }
}
