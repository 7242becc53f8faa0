import type { KafkaClientFactory, KafkaLogEntry, KafkaLogger } from "../kafka/index.ts";
import { isUnreachableSignal, unreachableReason } from "../kafka/librdkafka-log-text.ts";
import { kafkaLogBridge } from "./kafka-log-bridge.ts";

/** Whether the brokers described the cluster, and if not, why (the connection failures seen, else the error). */
export type ClusterProbe =
  | { readonly ok: true; readonly clusterId: string | null }
  | { readonly ok: false; readonly reason: string; readonly error: unknown };

export interface ClusterProbeOptions {
  readonly timeoutMs: number;
  /** Called once, at the first connection failure, with its reason (the start-up check says it at once). */
  readonly onUnreachable?: (reason: string) => void;
  /** Where the probe's other lines go (a TLS or SASL failure is news, not a repeat): the worker's bridge. */
  readonly logger?: KafkaLogger;
}

/**
 * Asks the brokers at `bootstrap` to describe the cluster, with an admin client of its own whose connection
 * failures become the answer's reason instead of log lines: while a broker is down librdkafka reports each refused
 * connection twice (a FAIL line and an error event) and `brokers are down` up to 20 times a second, and the caller
 * says it once, in words a user can act on. Never throws.
 */
export async function probeKafkaCluster(
  kafka: KafkaClientFactory,
  bootstrap: string,
  { timeoutMs, onUnreachable, logger = kafkaLogBridge }: ClusterProbeOptions,
): Promise<ClusterProbe> {
  const reasons = new Set<string>();
  let unreachable = false;
  const read = (entry: KafkaLogEntry) => {
    const reason = unreachableReason(entry);
    if (reason === null && !isUnreachableSignal(entry)) return logger(entry);
    if (reason !== null) reasons.add(reason);
    if (!unreachable && reason !== null) {
      unreachable = true;
      onUnreachable?.(reason);
    }
  };
  let admin: Awaited<ReturnType<KafkaClientFactory["createAdmin"]>> | undefined;
  try {
    admin = await kafka.createAdmin({ "bootstrap.servers": bootstrap }, { logger: read });
    const cluster = await admin.describeCluster({ timeoutMs });
    return { ok: true, clusterId: cluster.clusterId };
  } catch (error) {
    const reason = reasons.size > 0 ? [...reasons].join("; ") : (error as Error).message;
    return { ok: false, reason, error };
  } finally {
    await admin?.close().catch(() => undefined);
  }
}
