// The dashboard's page logic: every second it reads the connectors (GET /connectors?expand=status&expand=info) and
// the metrics of every worker that runs some of their work (this worker's /metrics, the others' through
// /ui/workers/<id>/metrics), and updates the page in place. Its buttons call the same REST API as any client, so
// authentication and forwarding to the leader apply as they do to curl. Strings from the API only ever reach the
// page as text (textContent, attributes), never as markup.

import { parsePrometheusText, taskValue } from "./prometheus-text.js";
import { createSparkline, drawSparkline, SPARKLINE_POINTS } from "./sparkline.js";

const REFRESH_MS = 1000;
/** Records/s is the change of a task's total over about this long: a task thread reports once a second. */
const RATE_SPAN_MS = 3000;
const SELF = document.body.dataset.workerId ?? "";

const TOTALS = {
  source: "kafka_connect_source_task_metrics_source_record_write_total",
  sink: "kafka_connect_sink_task_metrics_sink_record_send_total",
};
const ERRORS = "kafka_connect_task_error_metrics_total_record_errors";
const SKIPPED = "kafka_connect_task_error_metrics_total_records_skipped";
const DLQ_REQUESTS = "kafka_connect_task_error_metrics_deadletterqueue_produce_requests";
const DLQ_FAILURES = "kafka_connect_task_error_metrics_deadletterqueue_produce_failures";
const LAG = "kafka_connect_sink_task_metrics_sink_record_lag_max";

const $ = (selector, root = document) => root.querySelector(selector);

function element(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attributes)) node.setAttribute(key, value);
  node.append(...children);
  return node;
}

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

function recordTotal(key, total, now) {
  let history = histories.get(key);
  if (history === undefined) {
    history = { totals: [], rates: [] };
    histories.set(key, history);
  }
  if (total === undefined) return history;
  history.totals.push({ at: now, total });
  while (history.totals.length > 2 && now - history.totals[1].at >= RATE_SPAN_MS) history.totals.shift();
  const first = history.totals[0];
  const span = (now - first.at) / 1000;
  const rate = span > 0 ? Math.max(0, (total - first.total) / span) : 0;
  history.rates.push(rate);
  if (history.rates.length > SPARKLINE_POINTS) history.rates.shift();
  return history;
}

// --- reading the cluster ---

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
    if (!response.ok) return null;
    return parsePrometheusText(await response.text());
  } catch {
    return null;
  }
}

// --- drawing ---

function renderWorkers(workers) {
  const list = $("#workers");
  list.replaceChildren(
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

function stateBadge(state) {
  return element("span", { class: `state state-${state.toLowerCase()}`, "data-state": state }, state);
}

function actionButton(action, label, connector, task) {
  const attributes = { type: "button", "data-action": action, "data-connector": connector };
  if (task !== undefined) attributes["data-task"] = String(task);
  return element("button", attributes, label);
}

function traceBlock(title, trace) {
  return element("details", { class: "trace" }, element("summary", {}, title), element("pre", {}, trace));
}

function connectorCard(name, info, status) {
  const card = element("article", { class: "connector", "data-connector": name });
  const heading = element(
    "header",
    {},
    element("h3", {}, name),
    element("span", { class: "type" }, info.type),
    stateBadge(status.connector.state),
    element("span", { class: "worker" }, `on ${status.connector.worker_id}`),
  );
  const actions = element(
    "div",
    { class: "actions" },
    actionButton("pause", "Pause", name),
    actionButton("resume", "Resume", name),
    actionButton("restart", "Restart", name),
    actionButton("stop", "Stop", name),
  );
  card.append(heading, actions);
  if (status.connector.trace) card.append(traceBlock("Connector error", status.connector.trace));
  return card;
}

function cell(label, ...content) {
  return element("td", { "data-label": label }, ...content);
}

function taskRows(name, info, task, metrics) {
  const key = `${name}/${task.id}`;
  const total = metrics ? taskValue(metrics, TOTALS[info.type], name, task.id) : undefined;
  const history = recordTotal(key, total, Date.now());
  const rate = history.rates.at(-1);
  const spark = createSparkline(`records per second of task ${task.id}`);
  drawSparkline(spark, history.rates);
  const figure = (metric) => {
    const value = metrics ? taskValue(metrics, metric, name, task.id) : undefined;
    return value === undefined || Number.isNaN(value) ? "–" : String(value);
  };
  const row = element(
    "tr",
    { "data-task": key },
    cell("Task", String(task.id)),
    cell("State", stateBadge(task.state)),
    cell("Worker", task.worker_id),
    cell(
      "Records/s",
      spark,
      element("span", { class: "rate" }, metrics ? (rate ?? 0).toFixed(1) : `metrics on ${task.worker_id}`),
    ),
    cell("Lag", info.type === "sink" ? figure(LAG) : "–"),
    cell("Errors", figure(ERRORS)),
    cell("Skipped", figure(SKIPPED)),
    cell("DLQ", `${figure(DLQ_REQUESTS)} / ${figure(DLQ_FAILURES)}`),
    cell("", actionButton("restart-task", "Restart", name, task.id)),
  );
  if (!task.trace) return [row];
  const trace = element("tr", { class: "trace-row" }, element("td", { colspan: "9" }));
  trace.firstChild.append(traceBlock(`Task ${task.id} error`, task.trace));
  return [row, trace];
}

const HEADINGS = ["Task", "State", "Worker", "Records/s", "Lag", "Errors", "Skipped", "DLQ req / failed", ""];

function renderConnectors(connectors, metricsByWorker) {
  const open = new Set(
    [...document.querySelectorAll("details[open]")].map((d) => d.closest("[data-connector]")?.dataset.connector),
  );
  const cards = Object.entries(connectors)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([name, { info, status }]) => {
      const card = connectorCard(name, info, status);
      const table = element(
        "table",
        { class: "tasks" },
        element("thead", {}, element("tr", {}, ...HEADINGS.map((h) => element("th", { scope: "col" }, h)))),
        element(
          "tbody",
          {},
          ...status.tasks.flatMap((task) => taskRows(name, info, task, metricsByWorker.get(task.worker_id))),
        ),
      );
      card.append(table);
      // A trace the user opened stays open across refreshes.
      if (open.has(name)) for (const details of card.querySelectorAll("details")) details.open = true;
      return card;
    });
  $("#connectors").replaceChildren(
    ...(cards.length > 0 ? cards : [element("p", { class: "empty" }, "No connectors.")]),
  );
}

async function refresh() {
  try {
    const connectors = await api("GET", "/connectors?expand=status&expand=info");
    const workers = workersOf(connectors);
    const metricsByWorker = new Map(await Promise.all([...workers.keys()].map(async (w) => [w, await metricsOf(w)])));
    renderWorkers(workers);
    renderConnectors(connectors, metricsByWorker);
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

await refresh();
setInterval(refresh, REFRESH_MS);
