import type { Admin, KafkaClientFactory, KafkaLogEntry, KafkaLogger } from "../../kafka/index.ts";
import { isUnreachableSignal, unreachableReason } from "../../kafka/librdkafka-log-text.ts";
import { kafkaLogBridge } from "./kafka-log-bridge.ts";

/** Whether the brokers described the cluster, and if not, why (the connection failures seen, else the error). */
export type ClusterProbe =
  | { readonly ok: true; readonly clusterId: string | null }
  | { readonly ok: false; readonly reason: string; readonly error: unknown };

export interface ClusterProbeOptions {
  readonly timeoutMs: number;
  /**
   * Fails at once when librdkafka says every broker is down (a refused connection, a name that does not resolve)
   * instead of waiting out timeoutMs: right for a worker that was running (its brokers were there; a refusal now is
   * news), wrong at start, where a broker that is still starting refuses for a while.
   */
  readonly failFast?: boolean;
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
  { timeoutMs, failFast = false, onUnreachable, logger = kafkaLogBridge }: ClusterProbeOptions,
): Promise<ClusterProbe> {
  const reasons = new Set<string>();
  let unreachable = false;
  let allDown = () => {};
  const down = new Promise<never>((_, reject) => {
    allDown = () => reject(new Error(`every broker of ${bootstrap} is down`));
  });
  const read = (entry: KafkaLogEntry) => {
    if (failFast && entry.code === "_ALL_BROKERS_DOWN") allDown();
    const reason = unreachableReason(entry);
    if (reason === null && !isUnreachableSignal(entry)) return logger(entry);
    if (reason !== null) reasons.add(reason);
    if (!unreachable && reason !== null) {
      unreachable = true;
      onUnreachable?.(reason);
    }
  };
  let admin: Admin | undefined;
  try {
    admin = await kafka.createAdmin({ "bootstrap.servers": bootstrap }, { logger: read });
    const describing = admin.describeCluster({ timeoutMs });
    // The loser of the race rejects unheard (the close below ends the describe).
    describing.catch(() => undefined);
    down.catch(() => undefined);
    const cluster = await Promise.race([describing, down]);
    return { ok: true, clusterId: cluster.clusterId };
  } catch (error) {
    const reason = reasons.size > 0 ? [...reasons].join("; ") : (error as Error).message;
    return { ok: false, reason, error };
  } finally {
    await admin?.close().catch(() => undefined);
  }
}
