import { createLogger } from "../../common/logger.ts";
import type { KafkaLogEntry } from "../../kafka/index.ts";
import { isConnectionFailure, isUnreachableSignal } from "../../kafka/librdkafka-log-text.ts";
import type { ClusterProbe } from "./kafka-cluster-probe.ts";
import { observeKafkaLogs } from "./kafka-log-bridge.ts";

const log = createLogger("worker");

/** Asks the brokers whether they answer: probeKafkaCluster with failFast, from the composition root. */
export type ReachabilityProbe = (bootstrap: string) => Promise<ClusterProbe>;

type State = "idle" | "up" | "checking" | "down";

/**
 * Says for the whole worker when Kafka becomes unreachable and when it is back: one WARN, one INFO. Every client
 * of the worker (tasks' producers and consumers on any thread, the internal topics' clients) reports a lost
 * broker on its own, many times a second; their lines are folded by the bridge, and this turns them into what a
 * user needs to know. A _TRANSPORT or _ALL_BROKERS_DOWN signal from any client makes it ask the bootstrap servers
 * directly: a client that lost an idle connection, which librdkafka reports the same way, finds them answering and
 * nothing is said; when they do not answer, the outage is said once, dated from the first signal, and they are asked
 * again every interval until they answer.
 */
export class KafkaReachability {
  #probe: ReachabilityProbe = async () => ({ ok: true, clusterId: null });
  #bootstrap = "";
  #state: State = "idle";
  #since = 0;
  /** Until when signals are let be: a broker the clients cannot use but the probe reaches must not be probed 20 times a second. */
  #quietUntil = 0;
  #timer: ReturnType<typeof setTimeout> | null = null;
  /** How many client lines the outage's WARN stood for (written at DEBUG). */
  #explained = 0;
  #unobserve: (() => void) | null = null;

  /** `intervalMs`: between probes while Kafka is unreachable, and how long signals are let be after one answered. */
  constructor(readonly intervalMs = 5000) {}

  /** Starts watching the worker's clients, once the start-up check has found `bootstrap` answering. */
  watch(bootstrap: string, probe: ReachabilityProbe): void {
    this.#bootstrap = bootstrap;
    this.#probe = probe;
    this.#state = "up";
    this.#unobserve ??= observeKafkaLogs((entry) => this.observe(entry));
  }

  /**
   * Reads one librdkafka entry of any client of the worker; true when it only repeats the outage already said, so
   * that the bridge writes it at DEBUG: each client says it again for every broker it knows, and the worker's line
   * says it for all of them.
   */
  observe(entry: KafkaLogEntry): boolean {
    if (this.#state === "down" && isConnectionFailure(entry)) {
      this.#explained += 1;
      return true;
    }
    if (this.#state !== "up" || !isUnreachableSignal(entry) || Date.now() < this.#quietUntil) return false;
    this.#state = "checking";
    this.#since = Date.now();
    this.#explained = 0;
    void this.#check();
    return false;
  }

  stop(): void {
    this.#state = "idle";
    this.#unobserve?.();
    this.#unobserve = null;
    if (this.#timer !== null) clearTimeout(this.#timer);
    this.#timer = null;
  }

  async #check(): Promise<void> {
    this.#timer = null;
    const probe = await this.#probe(this.#bootstrap);
    if (this.#state === "idle") return;
    const where = `Kafka at ${this.#bootstrap} (bootstrap.servers)`;
    if (probe.ok) {
      if (this.#state === "down") {
        const seconds = Math.round((Date.now() - this.#since) / 1000);
        log.info(
          `${where} is reachable again, after ${seconds} s unreachable (${this.#explained} client lines about it at ` +
            "DEBUG on kafka.*); clients reconnect and tasks go on",
        );
      }
      this.#state = "up";
      this.#quietUntil = Date.now() + this.intervalMs;
      return;
    }
    if (this.#state === "checking") {
      this.#state = "down";
      log.warn(
        `${where} unreachable since ${new Date(this.#since).toISOString()}: ${probe.reason}. The worker's clients ` +
          "keep retrying and its tasks wait for it; check that the broker runs and that this host can reach it. " +
          "Their own lines about it go to DEBUG until a line says it is back.",
      );
    }
    // Unref'd: a worker stopping during an outage must not wait for the next probe.
    this.#timer = setTimeout(() => void this.#check(), this.intervalMs);
    this.#timer.unref?.();
  }
}
