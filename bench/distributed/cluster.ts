/**
 * A Connect cluster of worker processes on the local broker, for either runtime: Apache Kafka Connect 4.1.1
 * (ConnectDistributed, launched as bench/connect/java-connect.ts launches ConnectStandalone) or sluice
 * (`bun src/cli.ts worker distributed`). Every worker gets the same worker.properties apart from its port, so the
 * two clusters differ only in the runtime.
 */
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { requireJava } from "../../src/dev/external-programs.ts";
import type { ConnectLayout } from "../connect/connect-jars.ts";
import { JVM_OPTIONS, log4jProperties } from "../connect/java-connect.ts";
import type { RuntimeId } from "../connect/runtimes.ts";
import { freePort, WorkerProcess } from "../connect/worker-process.ts";
import type { TaskState } from "./stats.ts";

const REPO = join(import.meta.dir, "..", "..");
const SLUICE_PLUGIN = join(import.meta.dir, "..", "connect", "plugin");

export interface ClusterTimings {
  readonly sessionTimeoutMs: number;
  readonly heartbeatIntervalMs: number;
  readonly maxDelayMs: number;
}

export interface ClusterWorker {
  readonly index: number;
  /** The runtime of this worker: the cluster's, or another one in a mixed cluster. */
  readonly runtime: RuntimeId;
  /** The worker id Connect reports in statuses: host:port of its REST listener. */
  readonly id: string;
  readonly process: WorkerProcess;
}

export interface ConnectorStatus {
  readonly connector: { readonly state: string; readonly worker_id: string };
  readonly tasks: readonly TaskState[];
}

function propertiesText(props: Readonly<Record<string, string>>): string {
  return `${Object.entries(props)
    .map(([key, value]) => `${key}=${value}`)
    .join("\n")}\n`;
}

/** The worker keys both runtimes get: Kafka's distributed keys, internal topics of this cluster's own. */
export function clusterWorkerProperties(
  group: string,
  bootstrap: string,
  port: number,
  timings: ClusterTimings,
): Record<string, string> {
  return {
    "bootstrap.servers": bootstrap,
    "group.id": group,
    listeners: `http://127.0.0.1:${port}`,
    "rest.advertised.host.name": "127.0.0.1",
    "config.storage.topic": `${group}-configs`,
    "offset.storage.topic": `${group}-offsets`,
    "status.storage.topic": `${group}-status`,
    "config.storage.replication.factor": "1",
    "offset.storage.replication.factor": "1",
    "status.storage.replication.factor": "1",
    "offset.storage.partitions": "5",
    "status.storage.partitions": "3",
    "key.converter": "org.apache.kafka.connect.storage.StringConverter",
    "value.converter": "org.apache.kafka.connect.json.JsonConverter",
    "value.converter.schemas.enable": "false",
    "session.timeout.ms": String(timings.sessionTimeoutMs),
    "heartbeat.interval.ms": String(timings.heartbeatIntervalMs),
    "scheduled.rebalance.max.delay.ms": String(timings.maxDelayMs),
    "offset.flush.interval.ms": "10000",
    "producer.linger.ms": "5",
  };
}

export class Cluster {
  readonly workers: ClusterWorker[] = [];
  /** Each worker index keeps its port across restarts, so a restarted worker has the same worker id. */
  readonly #ports = new Map<number, number>();

  constructor(
    readonly runtime: RuntimeId,
    readonly group: string,
    readonly dir: string,
    readonly bootstrap: string,
    readonly timings: ClusterTimings,
    readonly connect: ConnectLayout,
    /** Worker keys beyond the shared ones (the same for every worker of the cluster). */
    readonly extraProperties: Readonly<Record<string, string>> = {},
  ) {}

  /**
   * Spawns worker number `index` (on the port it had before, if it ran before) and waits for its REST API. A worker of
   * another runtime than the cluster's joins the same group: a mixed cluster, as when moving from one to the other.
   */
  async start(index: number, runtime: RuntimeId = this.runtime): Promise<ClusterWorker> {
    const port = this.#ports.get(index) ?? (await freePort());
    this.#ports.set(index, port);
    const props = {
      ...clusterWorkerProperties(this.group, this.bootstrap, port, this.timings),
      ...this.extraProperties,
    };
    const file = join(this.dir, `${runtime}-${this.group}-${index}-${port}.properties`);
    const logFile = join(this.dir, `${runtime}-${this.group}-${index}.log`);
    const url = `http://127.0.0.1:${port}`;
    let process: WorkerProcess;
    if (runtime === "java") {
      writeFileSync(file, propertiesText({ ...props, "plugin.discovery": "service_load" }));
      const log4j = join(this.dir, "connect-log4j2.properties");
      if (!existsSync(log4j)) writeFileSync(log4j, log4jProperties());
      const argv = [
        requireJava(),
        ...JVM_OPTIONS,
        `-Dlog4j2.configurationFile=${log4j}`,
        "-cp",
        `${join(this.connect.libs, "*")}:${this.connect.classes}`,
        "org.apache.kafka.connect.cli.ConnectDistributed",
        file,
      ];
      process = new WorkerProcess(argv, url, logFile);
    } else {
      writeFileSync(file, propertiesText({ ...props, "plugin.path": SLUICE_PLUGIN }));
      const argv = ["bun", join(REPO, "src", "cli.ts"), "worker", "distributed", file];
      process = new WorkerProcess(argv, url, logFile, { ...globalThis.process.env, SLUICE_LOG_LEVEL: "INFO" });
    }
    await process.ready(180_000);
    const worker = { index, runtime, id: `127.0.0.1:${port}`, process };
    this.workers.push(worker);
    return worker;
  }

  /**
   * Whether the worker has started tasks since its log was `offset` bytes long, by its own log: Kafka Connect logs
   * `Starting task`, sluice `generation N: runs C connector(s) and T task(s)` with T > 0. The status topic alone
   * cannot tell: a worker that stops without writing UNASSIGNED leaves its tasks RUNNING there under its id, which
   * looks the same as the restarted worker running them again.
   */
  startedTasksSince(worker: ClusterWorker, offset: number): boolean {
    const log = readFileSync(worker.process.logFile).subarray(offset).toString("utf8");
    return worker.runtime === "java"
      ? /Starting task /.test(log)
      : /generation \d+: runs \d+ connector\(s\) and [1-9]\d* task\(s\)/.test(log);
  }

  alive(): ClusterWorker[] {
    return this.workers.filter((w) => w.process.proc.exitCode === null && w.process.proc.signalCode === null);
  }

  /**
   * The worker that led the group at its last rebalance, from the workers' logs: Kafka Connect logs each assignment
   * with `leaderUrl='…'`, sluice logs `(leader)` when a worker joins as the leader.
   */
  leader(): ClusterWorker | null {
    for (const worker of this.alive()) {
      const log = existsSync(worker.process.logFile) ? readFileSync(worker.process.logFile, "utf8") : "";
      if (worker.runtime === "java") {
        const last = [...log.matchAll(/leaderUrl='http:\/\/([^/']+)\/?'/g)].at(-1)?.[1];
        const led = this.alive().find((w) => w.id === last);
        if (led) return led;
      } else {
        const joined = log
          .split("\n")
          .filter((line) => line.includes("joined group"))
          .at(-1);
        if (joined?.includes("(leader)")) return worker;
      }
    }
    return null;
  }

  async status(name: string): Promise<ConnectorStatus | null> {
    for (const worker of this.alive()) {
      try {
        const response = await fetch(`${worker.process.url}/connectors/${name}/status`, {
          signal: AbortSignal.timeout(2000),
        });
        if (response.status === 200) return (await response.json()) as ConnectorStatus;
        await response.arrayBuffer();
      } catch {
        // that worker is busy or going; ask the next
      }
    }
    return null;
  }

  /** All `tasks` tasks RUNNING, each on a live worker. */
  allRunning(status: ConnectorStatus | null, tasks: number): boolean {
    if (status === null || status.tasks.length !== tasks) return false;
    const live = new Set(this.alive().map((w) => w.id));
    return status.tasks.every((t) => t.state === "RUNNING" && live.has(t.worker_id));
  }

  async waitAllRunning(name: string, tasks: number, timeoutMs: number): Promise<ConnectorStatus> {
    const deadline = performance.now() + timeoutMs;
    let status: ConnectorStatus | null = null;
    while (performance.now() < deadline) {
      status = await this.status(name);
      if (this.allRunning(status, tasks)) return status as ConnectorStatus;
      await Bun.sleep(100);
    }
    throw new Error(
      `${this.runtime}: not all ${tasks} tasks of ${name} RUNNING after ${timeoutMs} ms: ${JSON.stringify(status)}`,
    );
  }

  async stopAll(): Promise<void> {
    await Promise.all(this.alive().map((w) => w.process.stop(30_000)));
  }
}

/** Tasks per worker id. */
export function perWorker(tasks: readonly TaskState[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const t of tasks) counts.set(t.worker_id, (counts.get(t.worker_id) ?? 0) + 1);
  return counts;
}
