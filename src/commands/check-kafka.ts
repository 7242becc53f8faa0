import { ConnectError } from "../api/errors.ts";
import type { KafkaClientFactory } from "../kafka/types.ts";

/** How long the worker waits at start for any broker to answer, as Kafka's worker does when it looks up the cluster id. */
const TIMEOUT_MS = 15_000;

/**
 * Proves the brokers answer before the worker starts anything, and returns the cluster id (for `GET /`). An
 * unreachable cluster is one clear error naming `bootstrap.servers`, not a stream of client retries.
 */
export async function checkKafkaReachable(kafka: KafkaClientFactory, bootstrapServers: string): Promise<string | null> {
  const admin = await kafka.createAdmin({ "bootstrap.servers": bootstrapServers });
  try {
    const cluster = await admin.describeCluster({ timeoutMs: TIMEOUT_MS });
    return cluster.clusterId;
  } catch (error) {
    throw new ConnectError(
      `Cannot reach Kafka at ${bootstrapServers} (bootstrap.servers) within ${TIMEOUT_MS / 1000} s: ${(error as Error).message}. Check that the broker runs and the address is right; \`bun run kafka start\` starts a local one on 127.0.0.1:9092.`,
      { code: "KAFKA_UNREACHABLE", cause: error },
    );
  } finally {
    await admin.close();
  }
}
