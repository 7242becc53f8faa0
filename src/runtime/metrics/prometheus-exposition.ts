import { Counter, collectDefaultMetrics, Gauge, Registry } from "prom-client";
import {
  GROUP_LABELS,
  infoLabel,
  METRICS,
  type MetricDefinition,
  PER_CONNECTOR_WORKER_METRICS,
  prometheusName,
} from "./metric-catalogue.ts";
import type { MetricsSource, RebalanceMetricsValues, TaskMetricsEntry } from "./metrics-source.ts";

/** Kafka's task states, for the per-connector task counts (`connector-<state>-task-count`). */
const TASK_STATES = ["running", "paused", "failed", "unassigned", "destroyed", "restarting"] as const;

/** One scrape's reading of the worker: every metric of the scrape is filled from it. */
interface Reading {
  readonly connectors: ReturnType<MetricsSource["connectors"]>;
  readonly tasks: readonly TaskMetricsEntry[];
  readonly startups: Readonly<Record<string, number>>;
  readonly rebalance: RebalanceMetricsValues | null;
}

type Labels = Record<string, string>;
type Sample = readonly [Labels, number];

export interface Exposition {
  readonly contentType: string;
  readonly body: string;
}

/**
 * The worker's metrics in the Prometheus text format, or OpenMetrics when the scraper asks for it (`Accept:
 * application/openmetrics-text`), through prom-client, with the process metrics prom-client collects (memory, CPU,
 * event loop). Nothing here runs per record: each scrape reads the worker once (MetricsSource) and prom-client's
 * collect() callbacks copy that reading into the metrics.
 */
export class PrometheusExposition {
  private readonly text: Registry = new Registry();
  private readonly openMetrics: Registry = openMetricsRegistry();
  private reading: Reading = { connectors: [], tasks: [], startups: {}, rebalance: null };

  constructor(private readonly source: MetricsSource) {
    const registers = [this.text, this.openMetrics];
    // A standalone worker has no group, hence no rebalance metrics.
    const distributed = source.rebalance() !== null;
    for (const definition of METRICS) {
      if (definition.group !== "connect-worker-rebalance-metrics" || distributed) this.register(definition, registers);
    }
    collectDefaultMetrics({ register: this.text });
    collectDefaultMetrics({ register: this.openMetrics });
  }

  async render(accept: string | undefined): Promise<Exposition> {
    const registry = accept?.includes("application/openmetrics-text") ? this.openMetrics : this.text;
    this.reading = {
      connectors: this.source.connectors(),
      tasks: this.source.tasks(),
      startups: this.source.startups(),
      rebalance: this.source.rebalance(),
    };
    // prom-client writes NaN as "Nan", which OpenMetrics parsers refuse; a sample's value ends its line.
    const body = (await registry.metrics()).replace(/ Nan$/gm, " NaN");
    return { contentType: registry.contentType, body };
  }

  private register(definition: MetricDefinition, registers: Registry[]): void {
    const { group, name, kind } = definition;
    const labelNames = [...GROUP_LABELS[group]];
    if (group === "connect-worker-metrics" && PER_CONNECTOR_WORKER_METRICS.has(name)) labelNames.push("connector");
    if (kind === "info") labelNames.push(infoLabel(name));
    const samples = () => this.samples(definition);
    const options = { name: prometheusName(group, name), help: definition.help, labelNames, registers };
    if (kind === "counter") {
      new Counter({
        ...options,
        collect() {
          this.reset();
          for (const [labels, value] of samples()) this.inc(labels, value);
        },
      });
    } else {
      new Gauge({
        ...options,
        collect() {
          this.reset();
          for (const [labels, value] of samples()) this.set(labels, value);
        },
      });
    }
  }

  /** The samples of one metric in the current reading. */
  private samples({ group, name, kind }: MetricDefinition): Sample[] {
    const { connectors, tasks, startups, rebalance } = this.reading;
    switch (group) {
      case "connect-worker-metrics":
        return workerSamples(name, connectors.length, tasks, startups);
      case "connect-worker-rebalance-metrics":
        if (rebalance === null) return [];
        if (name === "leader-name") return [[{ leader_name: rebalance.leader }, 1]];
        if (name === "connect-protocol") return [[{ connect_protocol: rebalance.protocol }, 1]];
        return [[{}, rebalance.values[name] ?? Number.NaN]];
      case "connector-metrics":
        return connectors.map((c) => {
          const value = { status: c.status, "connector-type": c.type, "connector-class": c.className }[name];
          return [{ connector: c.name, [infoLabel(name)]: value ?? c.version }, 1];
        });
      default:
        return taskSamples(group, name, kind, tasks);
    }
  }
}

function openMetricsRegistry(): Registry {
  const registry = new Registry();
  registry.setContentType(Registry.OPENMETRICS_CONTENT_TYPE as typeof registry.contentType);
  return registry;
}

function workerSamples(
  name: string,
  connectorCount: number,
  tasks: readonly TaskMetricsEntry[],
  startups: Readonly<Record<string, number>>,
): Sample[] {
  if (name === "connector-count") return [[{}, connectorCount]];
  if (name === "task-count") return [[{}, tasks.length]];
  if (!PER_CONNECTOR_WORKER_METRICS.has(name)) return [[{}, startups[name] ?? 0]];
  const byConnector = new Map<string, TaskMetricsEntry[]>();
  for (const task of tasks) {
    const own = byConnector.get(task.connector);
    if (own === undefined) byConnector.set(task.connector, [task]);
    else own.push(task);
  }
  const state = TASK_STATES.find((s) => name === `connector-${s}-task-count`);
  return [...byConnector].map(([connector, own]): Sample => {
    const count = state === undefined ? own.length : own.filter((t) => t.state === state).length;
    return [{ connector }, count];
  });
}

function taskSamples(group: string, name: string, kind: string, tasks: readonly TaskMetricsEntry[]): Sample[] {
  const samples: Sample[] = [];
  for (const { connector, task, snapshot } of tasks) {
    if (snapshot === null) continue;
    if (group === "source-task-metrics" && snapshot.kind !== "source") continue;
    if (group === "sink-task-metrics" && snapshot.kind !== "sink") continue;
    const labels = { connector, task: String(task) };
    if (kind === "info") samples.push([{ ...labels, status: snapshot.status }, 1]);
    else samples.push([labels, snapshot.values[name] ?? Number.NaN]);
  }
  return samples;
}
