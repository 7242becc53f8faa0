import { ConnectError } from "../../api/errors.ts";
import { createLogger } from "../../common/logger.ts";
import { BOOTSTRAP } from "../../dev/kafka-layout.ts";
import { isKafkaAnswering } from "../../dev/kafka-probe.ts";
import type { SourcedProperties } from "./start-standalone-worker.ts";

const log = createLogger("cli");

/** What the fallback needs from the world; tests replace it, since they cannot stop the shared broker. */
export interface LocalBrokerDeps {
  readonly onBun: boolean;
  isKafkaAnswering(host: string, port: number, timeoutMs: number): Promise<boolean>;
  ensureBroker(): Promise<unknown>;
}

const defaultDeps: LocalBrokerDeps = {
  onBun: process.versions.bun !== undefined,
  isKafkaAnswering,
  ensureBroker: async () => (await import("../../dev/kafka-broker.ts")).ensureBroker(),
};

/**
 * With no `bootstrap.servers` configured and nothing answering on Kafka's default address, the worker starts the
 * local development broker (src/dev) and uses it, saying so. Bun only: starting the broker needs Bun's APIs.
 */
export async function withLocalBrokerFallback(
  worker: SourcedProperties,
  deps: LocalBrokerDeps = defaultDeps,
): Promise<SourcedProperties> {
  if (worker.props["bootstrap.servers"] !== undefined) return worker;
  if (await deps.isKafkaAnswering("localhost", 9092, 1500)) return worker;
  if (!deps.onBun) {
    throw new ConnectError(
      `No bootstrap.servers configured and no Kafka answers on localhost:9092. On Node.js the worker does not start the local development broker (that needs Bun): start it with \`bun run kafka start\` (it listens on ${BOOTSTRAP}), or set bootstrap.servers in the worker properties.`,
      { code: "KAFKA_UNREACHABLE" },
    );
  }
  log.info(
    `no bootstrap.servers configured and no Kafka answers on localhost:9092: starting the local broker at ${BOOTSTRAP}`,
  );
  await deps.ensureBroker();
  return { ...worker, props: { ...worker.props, "bootstrap.servers": BOOTSTRAP } };
}
