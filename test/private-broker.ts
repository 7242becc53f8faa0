/**
 * A Kafka broker of a test's own: the development broker's Apache Kafka 4.1.1 jars and configuration, on free ports,
 * with its data under a folder the test gives. A test may stop and restart it at will, which it must never do to the
 * shared broker at 127.0.0.1:9092 that other tests and engineers use.
 */
import { join } from "node:path";
import { freePort } from "../bench/connect/worker-process.ts";
import { type BrokerLayout, brokerLayout, ensureBroker, stopBroker } from "../src/dev/kafka-broker.ts";
import { kafkaJarsPresent } from "../src/dev/kafka-jars.ts";

export class PrivateBroker {
  private constructor(readonly layout: BrokerLayout) {}

  /** A layout under `dir`, sharing the development broker's jars; fails, saying so, when they are missing. */
  static async create(dir: string): Promise<PrivateBroker> {
    const shared = brokerLayout();
    if (!kafkaJarsPresent(shared)) {
      throw new Error(
        `a broker of the test's own needs Apache Kafka's jars in ${shared.libs}, and they are not there: ` +
          "`bun run kafka start` fetches them (Maven, about a minute); then run the test again",
      );
    }
    const own = brokerLayout(join(dir, "broker"), { port: await freePort(), controllerPort: await freePort() });
    return new PrivateBroker({ ...own, libs: shared.libs, libsMarker: shared.libsMarker });
  }

  get bootstrap(): string {
    return this.layout.bootstrap;
  }

  /** Starts it (formatting its storage the first time) and resolves once it serves requests. */
  async start(): Promise<void> {
    await ensureBroker({ layout: this.layout, quiet: true, timeoutMs: 120_000 });
  }

  /** SIGTERM (a controlled shutdown), SIGKILL after 30 s. */
  async stop(): Promise<void> {
    await stopBroker(this.layout);
  }
}
