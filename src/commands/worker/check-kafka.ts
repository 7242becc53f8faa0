import { ConnectError } from "../../api/errors.ts";
import { createLogger } from "../../common/logger.ts";
import type { KafkaClientFactory } from "../../kafka/types.ts";
import { probeKafkaCluster } from "../../runtime/kafka-connectivity/kafka-cluster-probe.ts";

const log = createLogger("cli");

/** How long the worker waits at start for any broker to answer, as Kafka's worker does when it looks up the cluster id. */
const TIMEOUT_MS = 15_000;

const WHAT_TO_CHECK =
  "Check that the broker runs and the address is right; `bun run kafka start` starts a local one on 127.0.0.1:9092.";

/**
 * Proves the brokers answer before the worker starts anything, and returns the cluster id (for `GET /`). An
 * unreachable cluster is one clear line at the first refused connection (the wait is 15 s, too long to leave
 * silent) and one clear error at the end, naming `bootstrap.servers` and why, not a stream of client retries.
 */
export async function checkKafkaReachable(kafka: KafkaClientFactory, bootstrapServers: string): Promise<string | null> {
  const probe = await probeKafkaCluster(kafka, bootstrapServers, {
    timeoutMs: TIMEOUT_MS,
    onUnreachable: (reason) =>
      log.warn(
        `Cannot reach Kafka at ${bootstrapServers} (bootstrap.servers) yet: ${reason}. Waiting up to ${TIMEOUT_MS / 1000} s for it. ${WHAT_TO_CHECK}`,
      ),
  });
  if (probe.ok) return probe.clusterId;
  throw new ConnectError(
    `Cannot reach Kafka at ${bootstrapServers} (bootstrap.servers) within ${TIMEOUT_MS / 1000} s: ${probe.reason}. ${WHAT_TO_CHECK}`,
    { code: "KAFKA_UNREACHABLE", cause: probe.error },
  );
}
