/** Sends the steps, in order, to one worker and keeps every answer. */
import { NonJsonBody } from "./shape.ts";
import type { Step, WaitFor } from "./steps.ts";
import { expand, type Variables } from "./variables.ts";

/** How long a step waits for the state it needs; past that it is sent anyway and the report says so. */
const WAIT_MS = 15_000;

export interface Answer {
  readonly status: number;
  /** Parsed JSON, or a NonJsonBody. */
  readonly body: unknown;
  /** Set when the state the step waited for did not come. */
  readonly waitProblem?: string;
}

async function send(url: string, method: string, path: string, body?: string): Promise<Answer> {
  const response = await fetch(`${url}${path}`, {
    method,
    headers: body === undefined ? {} : { "content-type": "application/json" },
    body,
    signal: AbortSignal.timeout(95_000),
  });
  const text = await response.text();
  let parsed: unknown;
  try {
    parsed = text === "" ? new NonJsonBody("") : JSON.parse(text);
  } catch {
    parsed = new NonJsonBody(text);
  }
  return { status: response.status, body: parsed };
}

interface StatusBody {
  connector?: { state?: string };
  tasks?: { state?: string }[];
}

async function reached(url: string, wait: WaitFor): Promise<{ ok: boolean; last: string }> {
  if ("topicsOf" in wait) {
    const answer = await send(url, "GET", `/connectors/${encodeURIComponent(wait.topicsOf)}/topics`);
    const topics = (answer.body as Record<string, { topics?: unknown[] }> | null)?.[wait.topicsOf]?.topics;
    return { ok: answer.status === 200 && (topics?.length ?? 0) > 0, last: JSON.stringify(answer.body) };
  }
  const answer = await send(url, "GET", `/connectors/${encodeURIComponent(wait.connector)}/status`);
  const status = answer.body as StatusBody;
  const tasks = status.tasks ?? [];
  const ok =
    answer.status === 200 &&
    status.connector?.state === wait.state &&
    (wait.tasks === undefined || (tasks.length === wait.tasks && tasks.every((t) => t.state === wait.state)));
  return { ok, last: `${answer.status} ${JSON.stringify(answer.body)}` };
}

async function waitFor(url: string, wait: WaitFor): Promise<string | undefined> {
  const deadline = Date.now() + WAIT_MS;
  let last = "";
  while (Date.now() < deadline) {
    const result = await reached(url, wait).catch((error: unknown) => ({ ok: false, last: String(error) }));
    if (result.ok) return undefined;
    last = result.last;
    await Bun.sleep(100);
  }
  return `waited ${WAIT_MS} ms for ${JSON.stringify(wait)}; last saw ${last.slice(0, 300)}`;
}

/** Every step's answer, by step id. */
export async function runSteps(url: string, steps: readonly Step[], vars: Variables): Promise<Map<string, Answer>> {
  const answers = new Map<string, Answer>();
  for (const step of steps) {
    const waitProblem = step.waitFor ? await waitFor(url, expand(step.waitFor, vars)) : undefined;
    const body = step.rawBody ?? (step.body === undefined ? undefined : JSON.stringify(expand(step.body, vars)));
    const path = expand(step.path, vars);
    const answer = await send(url, step.method, path, body).catch(
      (error: unknown): Answer => ({ status: 0, body: new NonJsonBody(`request failed: ${String(error)}`) }),
    );
    answers.set(step.id, waitProblem ? { ...answer, waitProblem } : answer);
  }
  return answers;
}
