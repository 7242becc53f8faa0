/**
 * The few Kafka Connect REST calls the chaos suite makes, asked of whichever live worker answers first: during a
 * rebalance or a fault one worker may be busy, gone or frozen, and the suite wants the cluster's answer, not one
 * worker's.
 */
import type { ChaosCluster, ChaosWorker } from "./chaos-cluster.ts";

export interface TaskStatus {
  readonly id: number;
  readonly state: string;
  readonly worker_id: string;
  readonly trace?: string;
}

export interface ConnectorStatus {
  readonly name: string;
  readonly connector: { readonly state: string; readonly worker_id: string; readonly trace?: string };
  readonly tasks: readonly TaskStatus[];
  readonly type: string;
}

export interface SourceOffsetEntry {
  readonly partition: Record<string, unknown>;
  readonly offset: Record<string, unknown>;
}

interface Answer {
  readonly status: number;
  readonly body: unknown;
}

async function call(worker: ChaosWorker, method: string, path: string, body?: unknown): Promise<Answer> {
  const response = await fetch(`${worker.url}${path}`, {
    method,
    headers: body === undefined ? {} : { "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
    // Kafka's REST server gives a request 90 s; reads should answer at once.
    signal: AbortSignal.timeout(method === "GET" ? 10_000 : 90_000),
  });
  const text = await response.text();
  return { status: response.status, body: text === "" ? null : (JSON.parse(text) as unknown) };
}

/** The first answer with an expected status from a live worker; throws with every worker's answer otherwise. */
async function ask(
  cluster: ChaosCluster,
  method: string,
  path: string,
  ok: number[],
  body?: unknown,
): Promise<unknown> {
  const answers: string[] = [];
  for (const worker of cluster.live()) {
    try {
      const answer = await call(worker, method, path, body);
      if (ok.includes(answer.status)) return answer.body;
      answers.push(`${worker.id}: ${answer.status} ${JSON.stringify(answer.body)}`);
    } catch (error) {
      answers.push(`${worker.id}: ${(error as Error).message}`);
    }
  }
  throw new Error(
    `${method} ${path}: no live worker answered ${ok.join("/")}: ${answers.join("; ") || "no live worker"}`,
  );
}

/**
 * POST /connectors, asked again for up to a minute while the cluster answers that it is busy (409 during a
 * rebalance, 500 "can be safely retried" when the config topic refused a write), as a user would; a request that
 * got through before an error answer is found by the 409 "already exists" of the next attempt.
 */
export async function createConnector(
  cluster: ChaosCluster,
  name: string,
  config: Readonly<Record<string, string>>,
): Promise<void> {
  const deadline = performance.now() + 60_000;
  for (;;) {
    try {
      await ask(cluster, "POST", "/connectors", [201], { name, config });
      return;
    } catch (error) {
      const message = (error as Error).message;
      if (message.includes("already exists")) return;
      if (performance.now() > deadline || !/: (409|500|503) /.test(message)) throw error;
    }
    await Bun.sleep(1000);
  }
}

/** PUT /connectors/{c}/stop: its tasks stop (committing their offsets) and it stays STOPPED. */
export async function stopConnector(cluster: ChaosCluster, name: string): Promise<void> {
  await ask(cluster, "PUT", `/connectors/${encodeURIComponent(name)}/stop`, [202, 204]);
}

export async function connectorStatus(cluster: ChaosCluster, name: string): Promise<ConnectorStatus | null> {
  return (await ask(cluster, "GET", `/connectors/${encodeURIComponent(name)}/status`, [200]).catch(
    () => null,
  )) as ConnectorStatus | null;
}

/** Each live worker's own view of a connector's status (they read the same status topic; they should agree). */
export async function statusByWorker(
  cluster: ChaosCluster,
  name: string,
): Promise<{ readonly worker: string; readonly status: ConnectorStatus | string }[]> {
  return Promise.all(
    cluster.live().map(async (worker) => {
      const answer = await call(worker, "GET", `/connectors/${encodeURIComponent(name)}/status`).catch(
        (error: Error) => ({ status: 0, body: error.message }),
      );
      return {
        worker: worker.id,
        status:
          answer.status === 200 ? (answer.body as ConnectorStatus) : `${answer.status} ${JSON.stringify(answer.body)}`,
      };
    }),
  );
}

/** GET /connectors/{c}/offsets of a source connector: its committed source offsets. */
export async function sourceOffsets(cluster: ChaosCluster, name: string): Promise<SourceOffsetEntry[]> {
  const body = (await ask(cluster, "GET", `/connectors/${encodeURIComponent(name)}/offsets`, [200])) as {
    offsets: SourceOffsetEntry[];
  };
  return body.offsets;
}

/**
 * What is wrong with a status, or null when the connector and all `tasks` tasks are RUNNING, each on a live worker
 * (a worker that is gone or frozen cannot be running anything: a RUNNING there is stale).
 */
export function notAllRunning(status: ConnectorStatus | null, tasks: number, live: readonly string[]): string | null {
  if (status === null) return "no status";
  const problems: string[] = [];
  if (status.connector.state !== "RUNNING") problems.push(`connector ${status.connector.state}`);
  else if (!live.includes(status.connector.worker_id))
    problems.push(`connector on ${status.connector.worker_id}, not a live worker`);
  if (status.tasks.length !== tasks) problems.push(`${status.tasks.length} tasks instead of ${tasks}`);
  for (const task of status.tasks) {
    if (task.state !== "RUNNING") problems.push(`task ${task.id} ${task.state}`);
    else if (!live.includes(task.worker_id)) problems.push(`task ${task.id} on ${task.worker_id}, not a live worker`);
  }
  return problems.length === 0 ? null : problems.join(", ");
}
