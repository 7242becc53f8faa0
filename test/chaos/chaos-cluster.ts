/**
 * Three (or more) distributed sluice workers, each a `bun src/cli.ts worker distributed` process of its own, in a
 * group and with internal topics of this run's own. A worker index keeps its port across restarts, so a restarted
 * worker has the same worker id, as a restarted Kafka Connect node does. Every start, stop and signal is written
 * into the worker's log (one file per index, appended across restarts), so a log reads as the run went.
 */
import { appendFileSync, existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { freePort, WorkerProcess } from "../../bench/connect/worker-process.ts";

const REPO = join(import.meta.dir, "..", "..");
const VERIFIABLE_PLUGIN = join(REPO, "plugins", "verifiable");

export interface ClusterTimings {
  readonly sessionTimeoutMs: number;
  readonly heartbeatIntervalMs: number;
  readonly rebalanceTimeoutMs: number;
  readonly maxDelayMs: number;
  readonly offsetFlushIntervalMs: number;
}

export interface ChaosWorker {
  readonly index: number;
  /** host:port, the worker id in statuses. */
  readonly id: string;
  readonly url: string;
  readonly logFile: string;
  process: WorkerProcess | null;
  /** Stopped with SIGSTOP and not yet continued. */
  frozen: boolean;
}

export class ChaosCluster {
  readonly workers: ChaosWorker[] = [];

  constructor(
    readonly dir: string,
    readonly group: string,
    readonly bootstrap: string,
    readonly timings: ClusterTimings,
    /** Worker keys beyond the suite's own (the same for every worker). */
    readonly extraProperties: Readonly<Record<string, string>> = {},
  ) {}

  /** Starts `count` workers one after the other (the first creates the internal topics). */
  async startAll(count: number): Promise<void> {
    for (let index = 0; index < count; index++) {
      const port = await freePort();
      this.workers.push({
        index,
        id: `127.0.0.1:${port}`,
        url: `http://127.0.0.1:${port}`,
        logFile: join(this.dir, `worker-${index}.log`),
        process: null,
        frozen: false,
      });
      await this.start(index);
    }
  }

  worker(index: number): ChaosWorker {
    const worker = this.workers[index];
    if (!worker) throw new Error(`no worker ${index}`);
    return worker;
  }

  /** Spawns the worker and waits for its REST API (a distributed worker answers once it has read its topics). */
  async start(index: number): Promise<number> {
    const worker = this.worker(index);
    const file = join(this.dir, `worker-${index}.properties`);
    writeFileSync(file, propertiesText(this.properties(worker)));
    this.note(worker, "start");
    const process = new WorkerProcess(
      ["bun", join(REPO, "src", "cli.ts"), "worker", "distributed", file],
      worker.url,
      worker.logFile,
      {
        ...globalThis.process.env,
        SLUICE_LOG_LEVEL: "INFO",
      },
    );
    worker.process = process;
    worker.frozen = false;
    return process.ready(120_000);
  }

  /**
   * SIGTERM or SIGKILL; resolves once the process has exited (a SIGTERM that hangs is followed by SIGKILL), with how
   * it ended: `0` for a clean stop, else its exit code or the signal that ended it.
   */
  async stop(index: number, signal: "SIGTERM" | "SIGKILL"): Promise<string> {
    const worker = this.worker(index);
    const process = worker.process;
    if (!process || !isRunning(process)) return "not running";
    if (worker.frozen) this.signal(index, "SIGCONT");
    this.note(worker, signal);
    if (signal === "SIGKILL") {
      process.proc.kill("SIGKILL");
      await process.proc.exited;
    } else {
      await process.stop(60_000);
    }
    const ended = String(process.proc.exitCode ?? process.proc.signalCode);
    this.note(worker, `exited (${ended})`);
    return ended;
  }

  /** SIGSTOP / SIGCONT: the worker freezes as a long GC pause or a stalled VM would freeze it. */
  signal(index: number, signal: "SIGSTOP" | "SIGCONT"): void {
    const worker = this.worker(index);
    this.note(worker, signal);
    worker.process?.proc.kill(signal);
    worker.frozen = signal === "SIGSTOP";
  }

  /** Workers whose process runs and is not frozen: the ones whose statuses should show work. */
  live(): ChaosWorker[] {
    return this.workers.filter((w) => w.process !== null && isRunning(w.process) && !w.frozen);
  }

  /** The worker that led the group at its last join, by its log (`joined group … (leader)`). */
  leader(): ChaosWorker | null {
    for (const worker of this.live()) {
      const log = existsSync(worker.logFile) ? readFileSync(worker.logFile, "utf8") : "";
      const joined = log
        .split("\n")
        .filter((line) => line.includes("joined group"))
        .at(-1);
      if (joined?.includes("(leader)")) return worker;
    }
    return null;
  }

  async stopAll(): Promise<void> {
    await Promise.all(this.workers.map((w) => this.stop(w.index, "SIGTERM")));
  }

  private properties(worker: ChaosWorker): Record<string, string> {
    const { group, timings } = this;
    return {
      "bootstrap.servers": this.bootstrap,
      "group.id": group,
      listeners: worker.url,
      "config.storage.topic": `${group}-configs`,
      "offset.storage.topic": `${group}-offsets`,
      "status.storage.topic": `${group}-status`,
      "config.storage.replication.factor": "1",
      "offset.storage.replication.factor": "1",
      "status.storage.replication.factor": "1",
      "offset.storage.partitions": "5",
      "status.storage.partitions": "3",
      "key.converter": "org.apache.kafka.connect.json.JsonConverter",
      "key.converter.schemas.enable": "false",
      "value.converter": "org.apache.kafka.connect.json.JsonConverter",
      "value.converter.schemas.enable": "false",
      "session.timeout.ms": String(timings.sessionTimeoutMs),
      "heartbeat.interval.ms": String(timings.heartbeatIntervalMs),
      "rebalance.timeout.ms": String(timings.rebalanceTimeoutMs),
      "scheduled.rebalance.max.delay.ms": String(timings.maxDelayMs),
      "offset.flush.interval.ms": String(timings.offsetFlushIntervalMs),
      "plugin.path": VERIFIABLE_PLUGIN,
      ...this.extraProperties,
    };
  }

  private note(worker: ChaosWorker, what: string): void {
    appendFileSync(worker.logFile, `\n=== chaos ${new Date().toISOString()}: ${what} (worker ${worker.index})\n`);
  }
}

function isRunning(process: WorkerProcess): boolean {
  return process.proc.exitCode === null && process.proc.signalCode === null;
}

function propertiesText(props: Readonly<Record<string, string>>): string {
  return `${Object.entries(props)
    .map(([key, value]) => `${key}=${value}`)
    .join("\n")}\n`;
}
