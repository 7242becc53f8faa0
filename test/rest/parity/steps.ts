/**
 * The one scripted sequence of requests the parity test sends to both runtimes, in order: every route of Kafka
 * Connect's REST API (KAFKA-CONNECT.md section 1, apart from the hidden inter-worker ones), each with its success and
 * error cases. `{name}` in a path or in a body's strings is one of the run's variables (variables.ts): connector
 * names, topic and file paths differ per runtime, and connector names in answers' keys are turned back into
 * `{name}` before comparing. `status` is what Apache Kafka Connect 4.1.1 answers (checked against it on every run).
 */

/** A state a step waits for before it is sent (polling the connector's status, up to WAIT_MS). */
export type WaitFor =
  | { readonly connector: string; readonly state: "RUNNING" | "PAUSED" | "STOPPED"; readonly tasks?: number }
  | { readonly topicsOf: string };

export interface Step {
  /** Stable id: the allow list and the known-gaps list refer to it. */
  readonly id: string;
  readonly method: "GET" | "POST" | "PUT" | "PATCH" | "DELETE";
  readonly path: string;
  /** JSON body (variables expanded in its strings). */
  readonly body?: unknown;
  /** A body sent exactly as written (not JSON). */
  readonly rawBody?: string;
  /** Kafka Connect's status code for this request. */
  readonly status: number;
  /** Whether list lengths and map sizes must match (default true). */
  readonly lengths?: boolean;
  /** JSON paths whose objects are maps keyed by data (logger names), compared by their values' shape only. */
  readonly maps?: readonly string[];
  readonly waitFor?: WaitFor;
}

const sourceConfig = { "connector.class": "FileStreamSource", "tasks.max": "1", file: "{input}", topic: "{topic}" };
const sinkConfig = { "connector.class": "FileStreamSink", "tasks.max": "1", file: "{output}", topics: "{topic}" };
const sourceOffsets = { offsets: [{ partition: { filename: "{input}" }, offset: { position: 0 } }] };
const sinkOffsets = {
  offsets: [{ partition: { kafka_topic: "{topic}", kafka_partition: 0 }, offset: { kafka_offset: 0 } }],
};
const running = (connector: string) => ({ connector, state: "RUNNING", tasks: 1 }) as const;

export const STEPS: readonly Step[] = [
  // the worker
  { id: "root", method: "GET", path: "/", status: 200 },
  { id: "health", method: "GET", path: "/health", status: 200 },
  { id: "unknown-route", method: "GET", path: "/no-such-route", status: 404 },
  { id: "wrong-method-root", method: "POST", path: "/", body: {}, status: 405 },
  { id: "wrong-method-connectors", method: "DELETE", path: "/connectors", status: 405 },

  // plugins (each runtime ships its own set, so list lengths are its own)
  { id: "plugins", method: "GET", path: "/connector-plugins", status: 200, lengths: false },
  { id: "plugins-all", method: "GET", path: "/connector-plugins?connectorsOnly=false", status: 200, lengths: false },
  { id: "plugin-config", method: "GET", path: "/connector-plugins/FileStreamSourceConnector/config", status: 200 },
  { id: "plugin-config-unknown", method: "GET", path: "/connector-plugins/NoSuchConnector/config", status: 404 },
  {
    id: "validate",
    method: "PUT",
    path: "/connector-plugins/FileStreamSourceConnector/config/validate",
    body: { ...sourceConfig, "connector.class": "org.apache.kafka.connect.file.FileStreamSourceConnector", name: "v" },
    status: 200,
  },
  {
    id: "validate-errors",
    method: "PUT",
    path: "/connector-plugins/FileStreamSinkConnector/config/validate",
    body: { "connector.class": "FileStreamSinkConnector", name: "v" },
    status: 200,
  },
  {
    // Jackson reads numbers and booleans into Kafka's Map<String, String> as their text.
    id: "validate-scalars",
    method: "PUT",
    path: "/connector-plugins/FileStreamSinkConnector/config/validate",
    body: { "connector.class": "FileStreamSink", name: "v", topics: "t", "tasks.max": 1, "errors.log.enable": false },
    status: 200,
  },
  // Kafka answers 500 (see allow-list.ts)
  {
    id: "validate-nested-value",
    method: "PUT",
    path: "/connector-plugins/FileStreamSinkConnector/config/validate",
    body: { "connector.class": "FileStreamSink", name: "v", topics: { a: 1 } },
    status: 500,
  },
  {
    id: "validate-class-mismatch",
    method: "PUT",
    path: "/connector-plugins/FileStreamSinkConnector/config/validate",
    body: { ...sourceConfig, name: "v" },
    status: 400,
  },

  // creating connectors
  { id: "list-empty", method: "GET", path: "/connectors", status: 200 },
  { id: "create", method: "POST", path: "/connectors", body: { name: "{source}", config: sourceConfig }, status: 201 },
  {
    id: "create-duplicate",
    method: "POST",
    path: "/connectors",
    body: { name: "{source}", config: sourceConfig },
    status: 409,
  },
  {
    id: "create-no-class",
    method: "POST",
    path: "/connectors",
    body: { name: "{extra}", config: { topic: "{topic}" } },
    status: 400,
  },
  {
    id: "create-invalid",
    method: "POST",
    path: "/connectors",
    body: { name: "{extra}", config: { "connector.class": "FileStreamSink" } },
    status: 400,
  },
  // Kafka answers 500 (see allow-list.ts)
  { id: "create-bad-json", method: "POST", path: "/connectors", rawBody: "{bad json", status: 500 },
  {
    id: "create-name-mismatch",
    method: "POST",
    path: "/connectors",
    body: { name: "{extra}", config: { ...sourceConfig, name: "{missing}" } },
    status: 400,
  },
  { id: "create-sink", method: "POST", path: "/connectors", body: { name: "{sink}", config: sinkConfig }, status: 201 },
  {
    id: "create-stopped",
    method: "POST",
    path: "/connectors",
    body: { name: "{stopped}", config: sourceConfig, initial_state: "STOPPED" },
    status: 201,
  },

  // reading them
  { id: "list", method: "GET", path: "/connectors", status: 200, waitFor: running("{source}") },
  {
    id: "list-expand-status",
    method: "GET",
    path: "/connectors?expand=status",
    status: 200,
    waitFor: running("{sink}"),
  },
  { id: "list-expand-info", method: "GET", path: "/connectors?expand=info", status: 200 },
  { id: "list-expand-both", method: "GET", path: "/connectors?expand=status&expand=info", status: 200 },
  { id: "info", method: "GET", path: "/connectors/{source}", status: 200 },
  { id: "config", method: "GET", path: "/connectors/{source}/config", status: 200 },
  { id: "status", method: "GET", path: "/connectors/{source}/status", status: 200 },
  { id: "tasks", method: "GET", path: "/connectors/{source}/tasks", status: 200 },
  { id: "task-status", method: "GET", path: "/connectors/{source}/tasks/0/status", status: 200 },
  { id: "task-status-unknown", method: "GET", path: "/connectors/{source}/tasks/7/status", status: 404 },
  { id: "tasks-config-removed", method: "GET", path: "/connectors/{source}/tasks-config", status: 404 },
  { id: "topics", method: "GET", path: "/connectors/{source}/topics", status: 200, waitFor: { topicsOf: "{source}" } },
  { id: "topics-reset", method: "PUT", path: "/connectors/{source}/topics/reset", status: 202 },
  {
    id: "status-stopped",
    method: "GET",
    path: "/connectors/{stopped}/status",
    status: 200,
    waitFor: { connector: "{stopped}", state: "STOPPED" },
  },
  { id: "wrong-method-status", method: "POST", path: "/connectors/{source}/status", body: {}, status: 405 },
  { id: "missing-info", method: "GET", path: "/connectors/{missing}", status: 404 },
  { id: "missing-config", method: "GET", path: "/connectors/{missing}/config", status: 404 },
  { id: "missing-status", method: "GET", path: "/connectors/{missing}/status", status: 404 },
  { id: "missing-tasks", method: "GET", path: "/connectors/{missing}/tasks", status: 404 },
  // Kafka answers an unknown connector's topics with an empty list
  { id: "missing-topics", method: "GET", path: "/connectors/{missing}/topics", status: 200 },
  { id: "missing-offsets", method: "GET", path: "/connectors/{missing}/offsets", status: 404 },
  { id: "missing-pause", method: "PUT", path: "/connectors/{missing}/pause", status: 404 },
  // Kafka fails with a NullPointerException (see allow-list.ts)
  { id: "missing-restart", method: "POST", path: "/connectors/{missing}/restart", status: 500 },
  { id: "missing-delete", method: "DELETE", path: "/connectors/{missing}", status: 404 },

  // changing configurations
  { id: "put-config-update", method: "PUT", path: "/connectors/{source}/config", body: sourceConfig, status: 200 },
  { id: "put-config-create", method: "PUT", path: "/connectors/{extra}/config", body: sourceConfig, status: 201 },
  {
    id: "put-config-name-mismatch",
    method: "PUT",
    path: "/connectors/{extra}/config",
    body: { ...sourceConfig, name: "{missing}" },
    status: 400,
  },
  {
    id: "put-config-invalid",
    method: "PUT",
    path: "/connectors/{extra}/config",
    body: { "connector.class": "FileStreamSink" },
    status: 400,
  },
  {
    id: "put-config-scalars",
    method: "PUT",
    path: "/connectors/{extra}/config",
    body: { ...sourceConfig, "tasks.max": 1, "batch.size": 100 },
    status: 200,
  },
  {
    id: "patch-config",
    method: "PATCH",
    path: "/connectors/{extra}/config",
    body: { "batch.size": "100" },
    status: 200,
  },
  {
    id: "patch-config-missing",
    method: "PATCH",
    path: "/connectors/{missing}/config",
    body: { "batch.size": "1" },
    status: 404,
  },

  // pause, resume, restart
  { id: "pause", method: "PUT", path: "/connectors/{source}/pause", status: 202, waitFor: running("{source}") },
  {
    id: "status-paused",
    method: "GET",
    path: "/connectors/{source}/status",
    status: 200,
    waitFor: { connector: "{source}", state: "PAUSED", tasks: 1 },
  },
  { id: "resume", method: "PUT", path: "/connectors/{source}/resume", status: 202 },
  { id: "restart", method: "POST", path: "/connectors/{source}/restart", status: 204, waitFor: running("{source}") },
  {
    id: "restart-with-tasks",
    method: "POST",
    path: "/connectors/{source}/restart?includeTasks=true&onlyFailed=false",
    status: 202,
    waitFor: running("{source}"),
  },
  {
    id: "restart-only-failed",
    method: "POST",
    path: "/connectors/{source}/restart?includeTasks=true&onlyFailed=true",
    status: 202,
    waitFor: running("{source}"),
  },
  {
    id: "task-restart",
    method: "POST",
    path: "/connectors/{source}/tasks/0/restart",
    status: 204,
    waitFor: running("{source}"),
  },

  // offsets: only a STOPPED connector's may change
  {
    id: "offsets",
    method: "GET",
    path: "/connectors/{source}/offsets",
    status: 200,
    lengths: false,
    waitFor: running("{source}"),
  },
  {
    id: "offsets-alter-running",
    method: "PATCH",
    path: "/connectors/{source}/offsets",
    body: sourceOffsets,
    status: 400,
  },
  { id: "offsets-reset-running", method: "DELETE", path: "/connectors/{source}/offsets", status: 400 },
  { id: "stop", method: "PUT", path: "/connectors/{source}/stop", status: 204 },
  {
    id: "status-after-stop",
    method: "GET",
    path: "/connectors/{source}/status",
    status: 200,
    waitFor: { connector: "{source}", state: "STOPPED" },
  },
  { id: "offsets-stopped", method: "GET", path: "/connectors/{source}/offsets", status: 200 },
  {
    id: "offsets-alter-empty",
    method: "PATCH",
    path: "/connectors/{source}/offsets",
    body: { offsets: [] },
    status: 400,
  },
  { id: "offsets-alter", method: "PATCH", path: "/connectors/{source}/offsets", body: sourceOffsets, status: 200 },
  { id: "offsets-reset", method: "DELETE", path: "/connectors/{source}/offsets", status: 200 },
  // The sink must have consumed (and so have offsets to commit) before it stops, on both runtimes.
  { id: "sink-stop", method: "PUT", path: "/connectors/{sink}/stop", status: 204, waitFor: { topicsOf: "{sink}" } },
  {
    id: "sink-offsets",
    method: "GET",
    path: "/connectors/{sink}/offsets",
    status: 200,
    waitFor: { connector: "{sink}", state: "STOPPED" },
  },
  { id: "sink-offsets-alter", method: "PATCH", path: "/connectors/{sink}/offsets", body: sinkOffsets, status: 200 },
  { id: "pause-stopped", method: "PUT", path: "/connectors/{source}/pause", status: 202 },
  {
    id: "status-paused-after-stop",
    method: "GET",
    path: "/connectors/{source}/status",
    status: 200,
    waitFor: { connector: "{source}", state: "PAUSED", tasks: 1 },
  },
  { id: "resume-after-stop", method: "PUT", path: "/connectors/{source}/resume", status: 202 },
  {
    id: "status-resumed",
    method: "GET",
    path: "/connectors/{source}/status",
    status: 200,
    waitFor: running("{source}"),
  },

  // loggers (each runtime has its own loggers: compared by the shape of one entry)
  { id: "loggers", method: "GET", path: "/admin/loggers", status: 200, lengths: false, maps: ["$"] },
  { id: "logger-root", method: "GET", path: "/admin/loggers/root", status: 200 },
  { id: "logger-unknown", method: "GET", path: "/admin/loggers/no.such.logger", status: 404 },
  {
    id: "logger-set",
    method: "PUT",
    path: "/admin/loggers/org.apache.kafka.connect.runtime.rest",
    body: { level: "DEBUG" },
    status: 200,
    lengths: false,
  },
  { id: "logger-set-no-level", method: "PUT", path: "/admin/loggers/org.apache.kafka.connect", body: {}, status: 400 },
  {
    id: "logger-set-number",
    method: "PUT",
    path: "/admin/loggers/org.apache.kafka.connect",
    body: { level: 1 },
    status: 404,
  },
  {
    id: "logger-set-bad-level",
    method: "PUT",
    path: "/admin/loggers/org.apache.kafka.connect",
    body: { level: "LOUD" },
    status: 404,
  },
  {
    id: "logger-set-cluster",
    method: "PUT",
    path: "/admin/loggers/org.apache.kafka.connect.runtime.rest?scope=cluster",
    body: { level: "INFO" },
    status: 204,
  },

  // last of the connector steps: Kafka 4.1.1 then lists a FAILED task 7 in the connector's status (its NPE)
  { id: "task-restart-unknown", method: "POST", path: "/connectors/{source}/tasks/7/restart", status: 404 },

  // deleting
  { id: "delete", method: "DELETE", path: "/connectors/{extra}", status: 204 },
  { id: "delete-again", method: "DELETE", path: "/connectors/{extra}", status: 404 },
  { id: "list-after-delete", method: "GET", path: "/connectors", status: 200 },
];
