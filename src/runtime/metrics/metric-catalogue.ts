/**
 * Kafka Connect's metrics (ConnectMetricsRegistry: groups, names, tags, descriptions) and the Prometheus names sluice
 * publishes them under: `kafka_connect_<group>_<name>`, dashes as underscores, tags as labels, which is what the
 * Prometheus JMX exporter's usual Kafka Connect rule (`kafka.connect<type=(.+)>...` → `kafka_connect_$1_$2`) makes of
 * Kafka's MBeans. A metric whose value is a string in Kafka (a status, a class name) is a gauge of 1 with the string
 * as a label of the same name, as the exporter's rules for those attributes do.
 *
 * This list is the single source of the `# HELP` lines, the exposition's types and the README's table.
 */

export type MetricGroup =
  | "connect-worker-metrics"
  | "connect-worker-rebalance-metrics"
  | "connector-metrics"
  | "connector-task-metrics"
  | "source-task-metrics"
  | "sink-task-metrics"
  | "task-error-metrics";

/**
 * `counter`: only ever grows while its task (or worker) lives, and its name ends in `-total`; `gauge`: a level, a
 * windowed figure, or a count whose name does not end in `-total`; `info`: a string.
 */
export type MetricKind = "counter" | "gauge" | "info";

export interface MetricDefinition {
  readonly group: MetricGroup;
  /** Kafka's attribute name, e.g. `sink-record-read-rate`. */
  readonly name: string;
  readonly kind: MetricKind;
  /** Kafka's description. */
  readonly help: string;
}

/** The labels each group's metrics carry (Kafka's tags), in Kafka's order. */
export const GROUP_LABELS: Readonly<Record<MetricGroup, readonly string[]>> = {
  "connect-worker-metrics": [],
  "connect-worker-rebalance-metrics": [],
  "connector-metrics": ["connector"],
  "connector-task-metrics": ["connector", "task"],
  "source-task-metrics": ["connector", "task"],
  "sink-task-metrics": ["connector", "task"],
  "task-error-metrics": ["connector", "task"],
};

/** Worker metrics per connector carry the `connector` label (Kafka's workerConnectorTags). */
export const PER_CONNECTOR_WORKER_METRICS: ReadonlySet<string> = new Set([
  "connector-total-task-count",
  "connector-running-task-count",
  "connector-paused-task-count",
  "connector-failed-task-count",
  "connector-unassigned-task-count",
  "connector-destroyed-task-count",
  "connector-restarting-task-count",
]);

const define = (group: MetricGroup, kind: MetricKind, entries: readonly (readonly [string, string])[]) =>
  entries.map(([name, help]): MetricDefinition => ({ group, name, kind, help }));

const RECORDS_POLLED =
  "records produced/polled (before transformation) by this task belonging to the named source connector in this worker";
const RECORDS_WRITTEN =
  "records output written to Kafka for this task belonging to the named source connector in this worker, since the task was last restarted. This is after transformations are applied, and excludes any records filtered out by the transformations.";
const RECORDS_SENT =
  "records output from the transformations and sent/put to this task belonging to the named sink connector in this worker";

export const METRICS: readonly MetricDefinition[] = [
  ...define("connect-worker-metrics", "gauge", [
    ["connector-count", "The number of connectors run in this worker."],
    ["task-count", "The number of tasks run in this worker."],
    [
      "connector-startup-success-percentage",
      "The average percentage of this worker's connectors starts that succeeded.",
    ],
    ["connector-startup-failure-percentage", "The average percentage of this worker's connectors starts that failed."],
    ["task-startup-success-percentage", "The average percentage of this worker's tasks starts that succeeded."],
    ["task-startup-failure-percentage", "The average percentage of this worker's tasks starts that failed."],
    ["connector-total-task-count", "The number of tasks of the connector on the worker."],
    ["connector-running-task-count", "The number of running tasks of the connector on the worker."],
    ["connector-paused-task-count", "The number of paused tasks of the connector on the worker."],
    ["connector-failed-task-count", "The number of failed tasks of the connector on the worker."],
    ["connector-unassigned-task-count", "The number of unassigned tasks of the connector on the worker."],
    ["connector-destroyed-task-count", "The number of destroyed tasks of the connector on the worker."],
    ["connector-restarting-task-count", "The number of restarting tasks of the connector on the worker."],
  ]),
  ...define("connect-worker-metrics", "counter", [
    ["connector-startup-attempts-total", "The total number of connector startups that this worker has attempted."],
    ["connector-startup-success-total", "The total number of connector starts that succeeded."],
    ["connector-startup-failure-total", "The total number of connector starts that failed."],
    ["task-startup-attempts-total", "The total number of task startups that this worker has attempted."],
    ["task-startup-success-total", "The total number of task starts that succeeded."],
    ["task-startup-failure-total", "The total number of task starts that failed."],
  ]),
  ...define("connect-worker-rebalance-metrics", "info", [
    ["connect-protocol", "The Connect protocol used by this cluster"],
    ["leader-name", "The name of the group leader."],
  ]),
  ...define("connect-worker-rebalance-metrics", "gauge", [
    ["epoch", "The epoch or generation number of this worker."],
    ["rebalancing", "Whether this worker is currently rebalancing."],
    ["rebalance-max-time-ms", "The maximum time in milliseconds spent by this worker to rebalance."],
    ["rebalance-avg-time-ms", "The average time in milliseconds spent by this worker to rebalance."],
    ["time-since-last-rebalance-ms", "The time in milliseconds since this worker completed the most recent rebalance."],
  ]),
  ...define("connect-worker-rebalance-metrics", "counter", [
    ["completed-rebalances-total", "The total number of rebalances completed by this worker."],
  ]),
  ...define("connector-metrics", "info", [
    [
      "status",
      "The status of the connector. One of 'unassigned', 'running', 'paused', 'stopped', 'failed', or 'restarting'.",
    ],
    ["connector-type", "The type of the connector. One of 'source' or 'sink'."],
    ["connector-class", "The name of the connector class."],
    ["connector-version", "The version of the connector class, as reported by the connector."],
  ]),
  ...define("connector-task-metrics", "info", [
    [
      "status",
      "The status of the connector task. One of 'unassigned', 'running', 'paused', 'failed', or 'restarting'.",
    ],
  ]),
  ...define("connector-task-metrics", "gauge", [
    ["running-ratio", "The fraction of time this task has spent in the running state."],
    ["pause-ratio", "The fraction of time this task has spent in the pause state."],
    ["offset-commit-max-time-ms", "The maximum time in milliseconds taken by this task to commit offsets."],
    ["offset-commit-avg-time-ms", "The average time in milliseconds taken by this task to commit offsets."],
    ["batch-size-max", "The number of records in the largest batch the task has processed so far."],
    ["batch-size-avg", "The average number of records in the batches the task has processed so far."],
    ["offset-commit-failure-percentage", "The average percentage of this task's offset commit attempts that failed."],
    [
      "offset-commit-success-percentage",
      "The average percentage of this task's offset commit attempts that succeeded.",
    ],
  ]),
  ...define("source-task-metrics", "gauge", [
    ["source-record-poll-rate", `The average per-second number of ${RECORDS_POLLED}.`],
    ["source-record-write-rate", `The average per-second number of ${RECORDS_WRITTEN}`],
    [
      "poll-batch-max-time-ms",
      "The maximum time in milliseconds taken by this task to poll for a batch of source records.",
    ],
    [
      "poll-batch-avg-time-ms",
      "The average time in milliseconds taken by this task to poll for a batch of source records.",
    ],
    [
      "source-record-active-count",
      "The number of records that have been produced by this task but not yet completely written to Kafka.",
    ],
    [
      "source-record-active-count-max",
      "The maximum number of records that have been produced by this task but not yet completely written to Kafka.",
    ],
    [
      "source-record-active-count-avg",
      "The average number of records that have been produced by this task but not yet completely written to Kafka.",
    ],
    ["transaction-size-min", "The number of records in the smallest transaction the task has committed so far."],
    ["transaction-size-max", "The number of records in the largest transaction the task has committed so far."],
    ["transaction-size-avg", "The average number of records in the transactions the task has committed so far."],
  ]),
  ...define("source-task-metrics", "counter", [
    ["source-record-poll-total", `The total number of ${RECORDS_POLLED}.`],
    ["source-record-write-total", `The number of ${RECORDS_WRITTEN}`],
  ]),
  ...define("sink-task-metrics", "gauge", [
    [
      "sink-record-read-rate",
      "The average per-second number of records read from Kafka for this task belonging to the named sink connector in this worker. This is before transformations are applied.",
    ],
    [
      "sink-record-send-rate",
      `The average per-second number of ${RECORDS_SENT}. This is after transformations are applied and excludes any records filtered out by the transformations.`,
    ],
    [
      "sink-record-lag-max",
      "The maximum lag in terms of number of records that the sink task is behind the consumer's position for any topic partitions.",
    ],
    [
      "partition-count",
      "The number of topic partitions assigned to this task belonging to the named sink connector in this worker.",
    ],
    ["offset-commit-seq-no", "The current sequence number for offset commits."],
    [
      "offset-commit-completion-rate",
      "The average per-second number of offset commit completions that were completed successfully.",
    ],
    [
      "offset-commit-skip-rate",
      "The average per-second number of offset commit completions that were received too late and skipped/ignored.",
    ],
    ["put-batch-max-time-ms", "The maximum time taken by this task to put a batch of sinks records."],
    ["put-batch-avg-time-ms", "The average time taken by this task to put a batch of sinks records."],
    [
      "sink-record-active-count",
      "The number of records that have been read from Kafka but not yet completely committed/flushed/acknowledged by the sink task.",
    ],
    [
      "sink-record-active-count-max",
      "The maximum number of records that have been read from Kafka but not yet completely committed/flushed/acknowledged by the sink task.",
    ],
    [
      "sink-record-active-count-avg",
      "The average number of records that have been read from Kafka but not yet completely committed/flushed/acknowledged by the sink task.",
    ],
  ]),
  ...define("sink-task-metrics", "counter", [
    [
      "sink-record-read-total",
      "The total number of records read from Kafka by this task belonging to the named sink connector in this worker, since the task was last restarted.",
    ],
    ["sink-record-send-total", `The total number of ${RECORDS_SENT}, since the task was last restarted.`],
    [
      "offset-commit-completion-total",
      "The total number of offset commit completions that were completed successfully.",
    ],
    [
      "offset-commit-skip-total",
      "The total number of offset commit completions that were received too late and skipped/ignored.",
    ],
  ]),
  // Counts, but gauges as the exporter types them: its default rule makes a counter only of a name ending in
  // `-total`, and an OpenMetrics counter would gain a `_total` suffix these names do not have under the exporter.
  ...define("task-error-metrics", "gauge", [
    ["total-record-failures", "The number of record processing failures in this task."],
    ["total-record-errors", "The number of record processing errors in this task."],
    ["total-records-skipped", "The number of records skipped due to errors."],
    ["total-retries", "The number of operations retried."],
    ["total-errors-logged", "The number of errors that were logged."],
    ["deadletterqueue-produce-requests", "The number of attempted writes to the dead letter queue."],
    ["deadletterqueue-produce-failures", "The number of failed writes to the dead letter queue."],
  ]),
  ...define("task-error-metrics", "gauge", [
    ["last-error-timestamp", "The epoch timestamp when this task last encountered an error."],
  ]),
];

/** `kafka_connect_sink_task_metrics_sink_record_read_rate` for (`sink-task-metrics`, `sink-record-read-rate`). */
export function prometheusName(group: MetricGroup, name: string): string {
  return `kafka_connect_${group}_${name}`.replaceAll("-", "_");
}

/** The label an `info` metric's string goes in: its own name, underscored (`connector_class`, `status`). */
export function infoLabel(name: string): string {
  return name.replaceAll("-", "_");
}
