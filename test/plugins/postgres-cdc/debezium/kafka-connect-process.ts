/**
 * Apache Kafka Connect 4.1.1 standalone with Debezium's connectors on its plugin.path: one JVM, started and stopped
 * by PID, driven over its REST API. Its log goes to a file in its own temporary folder (with the offset file), so a
 * failure can show the log's tail.
 */
import { openSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { connectLayout, ensureConnectJars } from "../../../../bench/connect/connect-jars.ts";
import { debeziumLayout, ensureDebeziumJars } from "../../../../bench/connect/debezium-jars.ts";
import { JVM_OPTIONS } from "../../../../bench/connect/java-connect.ts";
import { ConnectError } from "../../../../src/api/errors.ts";
import { isProcessAlive, requireJava, waitForExit } from "../../../../src/dev/external-programs.ts";
import { withLogTail } from "../../../../src/dev/say.ts";
import { BOOTSTRAP } from "../../../harness.ts";
import { freePort, tempDir } from "../../../worker-harness.ts";

/** JsonConverter with its schemas, for keys and values: the envelope `{schema, payload}` the fixtures keep. */
export const JSON_CONVERTERS: Readonly<Record<string, string>> = {
  "key.converter": "org.apache.kafka.connect.json.JsonConverter",
  "key.converter.schemas.enable": "true",
  "value.converter": "org.apache.kafka.connect.json.JsonConverter",
  "value.converter.schemas.enable": "true",
};

/**
 * Connect's INFO log with Debezium's logging context (its MDC keys): which connector (its logical name, the
 * topic.prefix) and which phase (snapshot, streaming) each line comes from. The runner waits for the streaming
 * phase by that tag.
 */
function log4jProperties(): string {
  return `status = warn
name = sluice-debezium-reference
appender.stdout.type = Console
appender.stdout.name = STDOUT
appender.stdout.layout.type = PatternLayout
appender.stdout.layout.pattern = [%d] %p [%X{dbz.connectorLogicalName}|%X{dbz.connectorContext}] %m (%c)%n
rootLogger.level = INFO
rootLogger.appenderRef.stdout.ref = STDOUT
`;
}

export interface KafkaConnectOptions {
  /** The REST port (default: a free one; others use 8083). */
  port?: number;
  /** Worker-level converters (default JSON_CONVERTERS); a connector's own `key.converter` etc. override them. */
  converters?: Record<string, string>;
  /** Any other worker properties, over the defaults. */
  worker?: Record<string, string>;
  say?: (message: string) => void;
}

export interface ConnectorStatus {
  connector: { state: string; trace?: string };
  tasks: { id: number; state: string; trace?: string }[];
}

export class KafkaConnectProcess {
  private constructor(
    readonly pid: number,
    readonly url: string,
    readonly dir: string,
    readonly log: string,
  ) {}

  /** Starts the worker (fetching Connect's and Debezium's jars first if needed) and waits for its REST API. */
  static async start(options: KafkaConnectOptions = {}): Promise<KafkaConnectProcess> {
    const say = options.say ?? (() => {});
    const connect = await ensureConnectJars(connectLayout(), say);
    const debezium = await ensureDebeziumJars(debeziumLayout(), { say });
    const port = options.port ?? freePort();
    const dir = tempDir("sluice-debezium-");
    const worker = join(dir, "worker.properties");
    const log4j = join(dir, "log4j2.properties");
    const log = join(dir, "connect.log");
    const props: Record<string, string> = {
      "bootstrap.servers": BOOTSTRAP,
      ...(options.converters ?? JSON_CONVERTERS),
      "offset.storage.file.filename": join(dir, "connect.offsets"),
      "offset.flush.interval.ms": "1000",
      listeners: `http://127.0.0.1:${port}`,
      "plugin.path": debezium.plugins,
      // Debezium's jars declare their plugins in META-INF/services: no reflective scan of 100 jars at start.
      "plugin.discovery": "service_load",
      ...options.worker,
    };
    writeFileSync(
      worker,
      `${Object.entries(props)
        .map(([k, v]) => `${k}=${v}`)
        .join("\n")}\n`,
    );
    writeFileSync(log4j, log4jProperties());
    const argv = [
      requireJava(),
      ...JVM_OPTIONS,
      `-Dlog4j2.configurationFile=${log4j}`,
      "-cp",
      join(connect.libs, "*"),
      "org.apache.kafka.connect.cli.ConnectStandalone",
      worker,
    ];
    const out = openSync(log, "a");
    const proc = Bun.spawn(argv, { stdout: out, stderr: out, stdin: "ignore" });
    const started = new KafkaConnectProcess(proc.pid, `http://127.0.0.1:${port}`, dir, log);
    try {
      await started.waitForRest(120_000);
    } catch (error) {
      await started.stop();
      throw error;
    }
    return started;
  }

  private async waitForRest(timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      if (!isProcessAlive(this.pid)) throw this.failure("Kafka Connect exited before its REST API answered");
      try {
        const response = await fetch(`${this.url}/connectors`);
        if (response.ok) return;
      } catch {
        // Not listening yet.
      }
      if (Date.now() > deadline) throw this.failure(`Kafka Connect's REST API did not answer within ${timeoutMs} ms`);
      await Bun.sleep(200);
    }
  }

  failure(message: string): ConnectError {
    return new ConnectError(withLogTail(message, this.log, 40), { code: "DEBEZIUM_RUN_FAILED" });
  }

  private async rest(method: string, path: string, body?: unknown): Promise<unknown> {
    const response = await fetch(`${this.url}${path}`, {
      method,
      headers: { "content-type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    if (!response.ok) throw this.failure(`${method} ${path} answered ${response.status}: ${text}`);
    return text === "" ? null : JSON.parse(text);
  }

  /** Creates the connector and waits until it and all its tasks are RUNNING; a FAILED state throws with its trace. */
  async startConnector(name: string, config: Record<string, string>, timeoutMs = 60_000): Promise<void> {
    await this.rest("POST", "/connectors", { name, config });
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const status = await this.status(name);
      const states = [status?.connector.state, ...(status?.tasks ?? []).map((task) => task.state)];
      const failed = [status?.connector, ...(status?.tasks ?? [])].find((s) => s?.state === "FAILED");
      if (failed) throw this.failure(`connector ${name} failed:\n${failed.trace ?? "(no trace)"}`);
      if (status !== null && status.tasks.length > 0 && states.every((state) => state === "RUNNING")) return;
      if (Date.now() > deadline) {
        throw this.failure(`connector ${name} not RUNNING within ${timeoutMs} ms: ${JSON.stringify(status)}`);
      }
      await Bun.sleep(200);
    }
  }

  async status(name: string): Promise<ConnectorStatus | null> {
    const response = await fetch(`${this.url}/connectors/${encodeURIComponent(name)}/status`);
    if (response.status === 404) return null;
    return (await response.json()) as ConnectorStatus;
  }

  /** Where the log ends now: waitForLog() looks only past it. */
  logSize(): number {
    return statSync(this.log).size;
  }

  /** Waits until a log line after byte `from` contains `text`. */
  async waitForLog(text: string, from: number, timeoutMs = 60_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!readFileSync(this.log).subarray(from).toString("utf8").includes(text)) {
      if (!isProcessAlive(this.pid)) throw this.failure(`Kafka Connect exited while we waited for "${text}"`);
      if (Date.now() > deadline) throw this.failure(`no log line with "${text}" within ${timeoutMs} ms`);
      await Bun.sleep(100);
    }
  }

  /** Deletes the connector; its tasks are stopped (and Debezium's replication connection closed) when this returns. */
  async deleteConnector(name: string): Promise<void> {
    await this.rest("DELETE", `/connectors/${encodeURIComponent(name)}`);
  }

  /** Stops the JVM by its PID (SIGTERM, the shutdown Connect expects; SIGKILL after 30 s) and removes its folder. */
  async stop(options: { keepDir?: boolean } = {}): Promise<void> {
    if (isProcessAlive(this.pid)) {
      process.kill(this.pid, "SIGTERM");
      if (!(await waitForExit(this.pid, 30_000))) {
        process.kill(this.pid, "SIGKILL");
        await waitForExit(this.pid, 10_000);
      }
    }
    if (!options.keepDir) rmSync(this.dir, { recursive: true, force: true });
  }
}
