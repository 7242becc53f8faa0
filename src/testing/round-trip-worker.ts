import { join } from "node:path";
import { SLUICE_VERSION } from "../commands/version.ts";
import { checkKafkaReachable } from "../commands/worker/check-kafka.ts";
import { startStandaloneWorker } from "../commands/worker/start-standalone-worker.ts";
import { waitFor, withDeadline } from "./deadlines.ts";
import { kitKafka } from "./kit-kafka.ts";
import { RoundTripFailure } from "./round-trip-failure.ts";

/** Kafka Connect's `GET /connectors/{name}/status` body. */
interface ConnectorStatus {
  readonly connector: { readonly state: string; readonly trace?: string };
  readonly tasks: readonly { readonly id: number; readonly state: string; readonly trace?: string }[];
}

/** A standalone worker in this process, driven through its REST API as a user would drive it. */
export interface RoundTripWorker {
  /** Creates the connector with `POST /connectors`; a refusal fails the round trip with the worker's message. */
  createConnector(name: string, config: Readonly<Record<string, string>>): Promise<void>;
  /** Waits until the connector and every task report RUNNING; a FAILED one fails the round trip with its trace. */
  waitForRunning(name: string): Promise<void>;
  /** A clean stop: every task stopped and its offsets committed, within the round trip's timeout. */
  stop(): Promise<void>;
}

/**
 * The worker settings of a round trip: Kafka's example worker (JSON keys and values), offsets and connectors in
 * `dir` (so that a second worker on the same folder is the first one restarted), a free port, and the plugin on
 * `plugin.path`.
 */
export function roundTripWorkerProps(
  bootstrap: string,
  dir: string,
  pluginPath: string,
  extra: Readonly<Record<string, string>> = {},
): Record<string, string> {
  return {
    "bootstrap.servers": bootstrap,
    "key.converter": "org.apache.kafka.connect.json.JsonConverter",
    "value.converter": "org.apache.kafka.connect.json.JsonConverter",
    "offset.storage.file.filename": join(dir, "offsets.json"),
    "offset.flush.interval.ms": "1000",
    listeners: "http://127.0.0.1:0",
    "plugin.path": pluginPath,
    ...extra,
  };
}

/** Starts a standalone worker the way `sluice worker standalone worker.properties` does, in this process. */
export async function startRoundTripWorker(
  className: string,
  props: Readonly<Record<string, string>>,
  timeoutMs: number,
): Promise<RoundTripWorker> {
  const kafka = await kitKafka();
  const running = await startStandaloneWorker({
    worker: { source: "the round trip's worker properties", props: { ...props } },
    connectors: [],
    kafka,
    version: SLUICE_VERSION,
    checkKafka: (bootstrap) => checkKafkaReachable(kafka, bootstrap),
  }).catch((error: unknown) => {
    throw new RoundTripFailure(className, `the worker did not start: ${(error as Error).message}`, { cause: error });
  });
  const fail = (finding: string) => new RoundTripFailure(className, finding);
  const status = async (name: string): Promise<ConnectorStatus | null> => {
    const response = await fetch(`${running.url}/connectors/${encodeURIComponent(name)}/status`);
    return response.ok ? ((await response.json()) as ConnectorStatus) : null;
  };

  return {
    async createConnector(name, config) {
      const response = await fetch(`${running.url}/connectors`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ name, config }),
      });
      if (response.status !== 201) {
        const body = (await response.json().catch(() => ({}))) as { message?: string };
        throw fail(`POST /connectors answered ${response.status}, expected 201: ${body.message ?? "(no message)"}`);
      }
    },

    async waitForRunning(name) {
      let last: ConnectorStatus | null = null;
      const running = await waitFor(async () => {
        last = await status(name);
        const failed = last && [last.connector, ...last.tasks].find((s) => s.state === "FAILED");
        if (failed) throw fail(`expected RUNNING, but ${describeFailed(last as ConnectorStatus)}`);
        return last !== null && last.tasks.length > 0 && [last.connector, ...last.tasks].every(isRunning);
      }, timeoutMs);
      if (!running) {
        throw fail(
          `expected the connector and its tasks RUNNING within ${timeoutMs} ms, GET /connectors/${name}/status ` +
            `says ${last ? summary(last) : "the connector is not there"}`,
        );
      }
    },

    async stop() {
      await withDeadline(running.stop(), timeoutMs, "the worker's stop").catch((error: unknown) => {
        throw fail(`the worker did not stop cleanly: ${(error as Error).message}`);
      });
    },
  };
}

const isRunning = (s: { readonly state: string }) => s.state === "RUNNING";

function summary(status: ConnectorStatus): string {
  const tasks = status.tasks.map((t) => `task ${t.id} ${t.state}`).join(", ");
  return `connector ${status.connector.state}${tasks ? `, ${tasks}` : ", no tasks"}`;
}

function describeFailed(status: ConnectorStatus): string {
  const failed = [
    ...(status.connector.state === "FAILED" ? [["the connector", status.connector.trace] as const] : []),
    ...status.tasks.filter((t) => t.state === "FAILED").map((t) => [`task ${t.id}`, t.trace] as const),
  ];
  return failed.map(([what, trace]) => `${what} FAILED: ${trace ?? "(no trace)"}`).join("; ");
}

/**
 * Runs `use` with a started worker, then stops it cleanly. When `use` fails, the worker still stops, and the
 * failure of `use` is the one reported.
 */
export async function withRoundTripWorker<T>(
  className: string,
  props: Readonly<Record<string, string>>,
  timeoutMs: number,
  use: (worker: RoundTripWorker) => Promise<T>,
): Promise<T> {
  const worker = await startRoundTripWorker(className, props, timeoutMs);
  let result: T;
  try {
    result = await use(worker);
  } catch (error) {
    await worker.stop().catch(() => undefined);
    throw error;
  }
  await worker.stop();
  return result;
}
