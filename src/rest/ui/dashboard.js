// The dashboard's page logic: every second it reads the connectors (GET /connectors?expand=status&expand=info) and
// the metrics of every worker that runs some of their work (this worker's /metrics, the others' through
// /ui/workers/<id>/metrics), and updates the page in place (connector-view.js). Its buttons call the same REST API
// as any client, so authentication and forwarding to the leader apply as they do to curl.

import { ConnectorsView, element } from "./connector-view.js";
import { parsePrometheusText } from "./prometheus-text.js";
import { SPARKLINE_POINTS } from "./sparkline.js";

const REFRESH_MS = 1000;
/** Records/s is the change of a task's total over about this long: a task thread reports once a second. */
const RATE_SPAN_MS = 3000;
const SELF = document.body.dataset.workerId ?? "";

const $ = (selector) => document.querySelector(selector);

function say(text, isError = false) {
  const status = $("#status");
  status.textContent = text;
  status.classList.toggle("error", isError);
}

async function api(method, path) {
  const response = await fetch(path, { method, headers: { accept: "application/json" } });
  const text = await response.text();
  if (!response.ok) {
    let message = text;
    try {
      message = JSON.parse(text).message ?? text;
    } catch {}
    throw new Error(`${method} ${path}: ${response.status} ${message}`);
  }
  return text === "" ? null : JSON.parse(text);
}

// --- records/s per task, from the totals of successive reads ---

const histories = new Map();

/** Notes a task's total (undefined: no metrics for it) and gives its records/s of the last minute. */
function ratesOf(key, total, now = Date.now()) {
  let history = histories.get(key);
  if (history === undefined) {
    history = { totals: [], rates: [] };
    histories.set(key, history);
  }
  if (total === undefined) return history.rates;
  history.totals.push({ at: now, total });
  while (history.totals.length > 2 && now - history.totals[1].at >= RATE_SPAN_MS) history.totals.shift();
  const first = history.totals[0];
  const span = (now - first.at) / 1000;
  history.rates.push(span > 0 ? Math.max(0, (total - first.total) / span) : 0);
  if (history.rates.length > SPARKLINE_POINTS) history.rates.shift();
  return history.rates;
}

// --- the cluster's workers ---

function workersOf(connectors) {
  const workers = new Map();
  const note = (id, what) => {
    if (!id) return;
    const counts = workers.get(id) ?? { connectors: 0, tasks: 0 };
    counts[what]++;
    workers.set(id, counts);
  };
  for (const { status } of Object.values(connectors)) {
    note(status.connector.worker_id, "connectors");
    for (const task of status.tasks) note(task.worker_id, "tasks");
  }
  if (SELF && !workers.has(SELF)) workers.set(SELF, { connectors: 0, tasks: 0 });
  return workers;
}

async function metricsOf(worker) {
  const path = worker === SELF ? "/metrics" : `/ui/workers/${encodeURIComponent(worker)}/metrics`;
  try {
    const response = await fetch(path, { headers: { accept: "text/plain" } });
    return response.ok ? parsePrometheusText(await response.text()) : null;
  } catch {
    return null;
  }
}

function renderWorkers(workers) {
  $("#workers").replaceChildren(
    ...[...workers].map(([id, counts]) =>
      element(
        "li",
        { "data-worker": id },
        element("span", { class: "worker-id" }, id),
        id === SELF ? element("span", { class: "badge" }, "this worker") : "",
        element("span", { class: "counts" }, `${counts.connectors} connectors · ${counts.tasks} tasks`),
      ),
    ),
  );
}

const connectorsView = new ConnectorsView($("#connectors"));

async function refresh() {
  try {
    const connectors = await api("GET", "/connectors?expand=status&expand=info");
    const workers = workersOf(connectors);
    const metricsByWorker = new Map(await Promise.all([...workers.keys()].map(async (w) => [w, await metricsOf(w)])));
    renderWorkers(workers);
    connectorsView.render(connectors, metricsByWorker, ratesOf);
    $("#updated").textContent = `updated ${new Date().toLocaleTimeString()}`;
  } catch (error) {
    say(String(error.message ?? error), true);
  }
}

// --- buttons: the REST API's own routes ---

const ACTIONS = {
  pause: (c) => ["PUT", `/connectors/${encodeURIComponent(c)}/pause`],
  resume: (c) => ["PUT", `/connectors/${encodeURIComponent(c)}/resume`],
  stop: (c) => ["PUT", `/connectors/${encodeURIComponent(c)}/stop`],
  restart: (c) => ["POST", `/connectors/${encodeURIComponent(c)}/restart?includeTasks=true&onlyFailed=false`],
  "restart-task": (c, t) => ["POST", `/connectors/${encodeURIComponent(c)}/tasks/${t}/restart`],
};

document.addEventListener("click", async (event) => {
  const button = event.target.closest("button[data-action]");
  if (button === null) return;
  const { action, connector, task } = button.dataset;
  const [method, path] = ACTIONS[action](connector, task);
  button.disabled = true;
  try {
    await api(method, path);
    say(`${action.replace("-", " ")} ${connector}${task === undefined ? "" : `/${task}`}: done`);
  } catch (error) {
    say(error.message, true);
  } finally {
    button.disabled = false;
    await refresh();
  }
});

// A refresh slower than the interval (a worker slow to hand over its metrics) is not joined by another one: the
// requests would pile up on the workers the page is meant to watch.
let refreshing = false;
async function tick() {
  if (refreshing) return;
  refreshing = true;
  try {
    await refresh();
  } finally {
    refreshing = false;
  }
}

await tick();
setInterval(tick, REFRESH_MS);
