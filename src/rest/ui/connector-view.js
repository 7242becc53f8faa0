// The connectors' part of the dashboard, kept in place across refreshes: each connector's card and each task's row
// are made once and then only updated, so that a focused button keeps its focus and an opened trace stays open.
// Strings from the API are set as text or attributes only, never parsed as markup.

import { taskValue } from "./prometheus-text.js";
import { createSparkline, drawSparkline } from "./sparkline.js";

const TOTALS = {
  source: "kafka_connect_source_task_metrics_source_record_write_total",
  sink: "kafka_connect_sink_task_metrics_sink_record_send_total",
};
const ERRORS = "kafka_connect_task_error_metrics_total_record_errors";
const SKIPPED = "kafka_connect_task_error_metrics_total_records_skipped";
const DLQ_REQUESTS = "kafka_connect_task_error_metrics_deadletterqueue_produce_requests";
const DLQ_FAILURES = "kafka_connect_task_error_metrics_deadletterqueue_produce_failures";
const LAG = "kafka_connect_sink_task_metrics_sink_record_lag_max";
const HEADINGS = ["Task", "State", "Worker", "Records/s", "Lag", "Errors", "Skipped", "DLQ req / failed", ""];

export function element(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attributes)) node.setAttribute(key, value);
  node.append(...children);
  return node;
}

function setText(node, text) {
  if (node.textContent !== text) node.textContent = text;
}

function setState(badge, state) {
  setText(badge, state);
  badge.className = `state state-${state.toLowerCase()}`;
  badge.dataset.state = state;
}

function trace() {
  const details = element("details", { class: "trace" }, element("summary", {}), element("pre", {}));
  details.hidden = true;
  return details;
}

function setTrace(details, title, text) {
  details.hidden = !text;
  setText(details.firstChild, title);
  setText(details.lastChild, text ?? "");
}

// A screen reader lists buttons by name: each says what it acts on, not only "Restart" many times over.
function button(action, label, connector, task) {
  const target = task === undefined ? connector : `task ${task} of ${connector}`;
  const attributes = {
    type: "button",
    "data-action": action,
    "data-connector": connector,
    "aria-label": `${label} ${target}`,
  };
  if (task !== undefined) attributes["data-task"] = String(task);
  return element("button", attributes, label);
}

/** Puts `nodes` in `parent` in this order, touching the parent only when the order or the set changed. */
function keepChildren(parent, nodes) {
  const current = [...parent.children];
  if (current.length === nodes.length && current.every((node, i) => node === nodes[i])) return;
  parent.replaceChildren(...nodes);
}

class TaskRow {
  constructor(connector, id) {
    this.spark = createSparkline(`records per second of task ${id}`);
    this.state = element("span", {});
    this.cells = {};
    const cell = (label, ...content) => {
      const td = element("td", { "data-label": label }, ...content);
      this.cells[label] = td;
      return td;
    };
    this.rate = element("span", { class: "rate" });
    this.row = element(
      "tr",
      { "data-task": `${connector}/${id}` },
      cell("Task", String(id)),
      cell("State", this.state),
      cell("Worker"),
      cell("Records/s", this.spark, this.rate),
      cell("Lag"),
      cell("Errors"),
      cell("Skipped"),
      cell("DLQ"),
      cell("", button("restart-task", "Restart", connector, id)),
    );
    this.trace = trace();
    this.traceRow = element(
      "tr",
      { class: "trace-row" },
      element("td", { colspan: String(HEADINGS.length) }, this.trace),
    );
  }

  update(connector, type, task, metrics, rates) {
    setState(this.state, task.state);
    setText(this.cells.Worker, task.worker_id);
    drawSparkline(this.spark, rates);
    setText(this.rate, metrics ? (rates.at(-1) ?? 0).toFixed(1) : `metrics on ${task.worker_id}`);
    const figure = (name) => {
      const value = metrics ? taskValue(metrics, name, connector, task.id) : undefined;
      return value === undefined || Number.isNaN(value) ? "–" : String(value);
    };
    setText(this.cells.Lag, type === "sink" ? figure(LAG) : "–");
    setText(this.cells.Errors, figure(ERRORS));
    setText(this.cells.Skipped, figure(SKIPPED));
    setText(this.cells.DLQ, `${figure(DLQ_REQUESTS)} / ${figure(DLQ_FAILURES)}`);
    setTrace(this.trace, `Task ${task.id} error`, task.trace);
    this.traceRow.hidden = !task.trace;
  }
}

class ConnectorCard {
  constructor(name) {
    this.name = name;
    this.type = element("span", { class: "type" });
    this.state = element("span", {});
    this.worker = element("span", { class: "worker" });
    this.trace = trace();
    this.tbody = element("tbody", {});
    this.rows = new Map();
    this.card = element(
      "article",
      { class: "connector", "data-connector": name },
      element("header", {}, element("h3", {}, name), this.type, this.state, this.worker),
      element(
        "div",
        { class: "actions" },
        button("pause", "Pause", name),
        button("resume", "Resume", name),
        button("restart", "Restart", name),
        button("stop", "Stop", name),
      ),
      this.trace,
      element(
        "table",
        { class: "tasks" },
        element("thead", {}, element("tr", {}, ...HEADINGS.map((h) => element("th", { scope: "col" }, h)))),
        this.tbody,
      ),
    );
  }

  /** `ratesOf(key, total)` keeps each task's records/s history and gives it back. */
  update(info, status, metricsByWorker, ratesOf) {
    setText(this.type, info.type);
    setState(this.state, status.connector.state);
    setText(this.worker, `on ${status.connector.worker_id}`);
    setTrace(this.trace, "Connector error", status.connector.trace);
    const nodes = [];
    const seen = new Set();
    for (const task of status.tasks) {
      let row = this.rows.get(task.id);
      if (row === undefined) {
        row = new TaskRow(this.name, task.id);
        this.rows.set(task.id, row);
      }
      seen.add(task.id);
      const metrics = metricsByWorker.get(task.worker_id) ?? null;
      const total = metrics ? taskValue(metrics, TOTALS[info.type], this.name, task.id) : undefined;
      row.update(this.name, info.type, task, metrics, ratesOf(`${this.name}/${task.id}`, total));
      nodes.push(row.row, row.traceRow);
    }
    for (const id of this.rows.keys()) if (!seen.has(id)) this.rows.delete(id);
    keepChildren(this.tbody, nodes);
  }
}

export class ConnectorsView {
  constructor(container) {
    this.container = container;
    this.cards = new Map();
    this.empty = element("p", { class: "empty" }, "No connectors.");
  }

  render(connectors, metricsByWorker, ratesOf) {
    const names = Object.keys(connectors).sort((a, b) => a.localeCompare(b));
    for (const name of this.cards.keys()) if (!(name in connectors)) this.cards.delete(name);
    const nodes = names.map((name) => {
      let card = this.cards.get(name);
      if (card === undefined) {
        card = new ConnectorCard(name);
        this.cards.set(name, card);
      }
      const { info, status } = connectors[name];
      card.update(info, status, metricsByWorker, ratesOf);
      return card.card;
    });
    keepChildren(this.container, nodes.length > 0 ? nodes : [this.empty]);
  }
}
