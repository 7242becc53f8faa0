/**
 * The connections a Connect group member keeps to its group coordinator: found through the bootstrap brokers
 * (FindCoordinator), kept until a call says the coordinator moved, and two of them, because the broker answers one
 * connection's requests in order and a JoinGroup or SyncGroup may wait up to rebalance.timeout.ms: heartbeats and
 * LeaveGroup go on their own ("control") connection.
 */
import { Connection, findCoordinatorV6 } from "@platformatic/kafka";
import { ConfigError } from "../../api/errors.ts";
import { groupError } from "./group-protocol-errors.ts";

export type ConnectionKind = "join" | "control";

interface BrokerAddress {
  readonly host: string;
  readonly port: number;
}

export interface CoordinatorConnectionsOptions {
  /** Bootstrap brokers, "host:port[,host:port...]". */
  readonly bootstrap: string;
  readonly groupId: string;
  readonly sessionTimeoutMs: number;
  readonly rebalanceTimeoutMs: number;
  readonly clientId?: string;
}

export class CoordinatorConnections {
  readonly #options: CoordinatorConnectionsOptions;
  readonly #brokers: readonly BrokerAddress[];
  #coordinator: BrokerAddress | null = null;
  #join: Connection | null = null;
  #control: Connection | null = null;

  constructor(options: CoordinatorConnectionsOptions) {
    this.#options = options;
    this.#brokers = parseBootstrap(options.bootstrap);
  }

  /** Whether a coordinator has been found (and not dropped since). */
  get hasCoordinator(): boolean {
    return this.#coordinator !== null;
  }

  /** The open connection of that kind, connecting (and finding the coordinator) first when there is none. */
  async connection(kind: ConnectionKind): Promise<Connection> {
    const existing = kind === "join" ? this.#join : this.#control;
    if (existing?.isConnected()) return existing;
    const coordinator = this.#coordinator ?? (await this.#findCoordinator());
    // A join may be held by the broker for the whole rebalance timeout; a heartbeat must not outlive a session.
    const requestTimeout =
      kind === "join" ? this.#options.rebalanceTimeoutMs + 5_000 : Math.max(this.#options.sessionTimeoutMs, 5_000);
    const connection = this.#newConnection(requestTimeout);
    await connection.connect(coordinator.host, coordinator.port);
    if (kind === "join") this.#join = connection;
    else this.#control = connection;
    return connection;
  }

  /** Closes one connection; the next call of that kind connects again to the same coordinator. */
  async drop(kind: ConnectionKind): Promise<void> {
    const connection = kind === "join" ? this.#join : this.#control;
    if (kind === "join") this.#join = null;
    else this.#control = null;
    await connection?.close().catch(() => {});
  }

  /** Forgets the coordinator (it moved or failed) and closes both connections. */
  async dropCoordinator(): Promise<void> {
    this.#coordinator = null;
    await this.close();
  }

  async close(): Promise<void> {
    await Promise.all([this.drop("join"), this.drop("control")]);
  }

  async #findCoordinator(): Promise<BrokerAddress> {
    let lastError: unknown;
    for (const broker of this.#brokers) {
      const connection = this.#newConnection(10_000);
      try {
        await connection.connect(broker.host, broker.port);
        const response = await findCoordinatorV6.api.async(connection, 0, [this.#options.groupId]);
        const found = response.coordinators[0];
        if (found !== undefined) {
          this.#coordinator = { host: found.host, port: found.port };
          return this.#coordinator;
        }
      } catch (error) {
        lastError = error;
      } finally {
        await connection.close().catch(() => {});
      }
    }
    throw groupError("FindCoordinator", this.#options.groupId, lastError ?? new Error("no broker answered"));
  }

  #newConnection(requestTimeout: number): Connection {
    const connection = new Connection(this.#options.clientId ?? "sluice-connect-group", { requestTimeout });
    connection.on("error", () => {}); // failures surface on the calls; an unlistened 'error' event would throw
    return connection;
  }
}

/** "host:port[,host:port]" as Kafka's bootstrap.servers. */
export function parseBootstrap(bootstrap: string): BrokerAddress[] {
  const brokers = bootstrap
    .split(",")
    .map((entry) => entry.trim())
    .filter((entry) => entry !== "")
    .map((entry) => {
      const match = /^(.+):(\d+)$/.exec(entry);
      const port = match === null ? Number.NaN : Number(match[2]);
      if (match?.[1] === undefined || !(port > 0 && port < 65536)) {
        throw new ConfigError(`Invalid url in bootstrap.servers: ${entry}`, { key: "bootstrap.servers" });
      }
      return { host: match[1].replace(/^\[(.*)\]$/, "$1"), port };
    });
  if (brokers.length === 0) throw new ConfigError("bootstrap.servers is empty", { key: "bootstrap.servers" });
  return brokers;
}
