import { ConfigDef, oneOf, range } from "../../api/config-def.ts";
import { parseAdminListeners, parseListeners } from "../../rest/listeners.ts";
import { CREDENTIALS_FILE_KEY, TOKENS_FILE_KEY, TOKENS_KEY } from "../../rest/middleware/auth-credentials.ts";
import { BODY_MAX_BYTES_KEY, DEFAULT_BODY_MAX_BYTES } from "../../rest/middleware/request-body.ts";
import { parseHeaderRules, RESPONSE_HEADERS_KEY } from "../../rest/middleware/response-headers.ts";

/**
 * The worker's own keys, with Kafka Connect's names and defaults (WorkerConfig, RestServerConfig,
 * StandaloneConfig). Keys prefixed `producer.`, `consumer.` and `admin.` pass through to the Kafka clients.
 */
export const workerConfigDef = new ConfigDef()
  .define({
    name: "bootstrap.servers",
    type: "list",
    defaultValue: ["localhost:9092"],
    importance: "high",
    documentation: "Kafka brokers to bootstrap from (host:port, comma separated).",
  })
  .define({
    name: "key.converter",
    type: "class",
    importance: "high",
    documentation: "Converter class for record keys, unless a connector sets its own.",
  })
  .define({
    name: "value.converter",
    type: "class",
    importance: "high",
    documentation: "Converter class for record values, unless a connector sets its own.",
  })
  .define({
    name: "header.converter",
    type: "class",
    defaultValue: "org.apache.kafka.connect.storage.SimpleHeaderConverter",
    importance: "low",
    documentation: "Converter class for header values, unless a connector sets its own.",
  })
  .define({
    name: "offset.flush.interval.ms",
    type: "long",
    defaultValue: 60000,
    validator: range(0),
    importance: "low",
    documentation: "How often source offsets are written and sink offsets committed.",
  })
  .define({
    name: "offset.flush.timeout.ms",
    type: "long",
    defaultValue: 5000,
    validator: range(0),
    importance: "low",
    documentation: "How long an offset flush may wait for outstanding records before it is cancelled.",
  })
  .define({
    name: "task.shutdown.graceful.timeout.ms",
    type: "long",
    defaultValue: 5000,
    validator: range(0),
    importance: "low",
    documentation: "How long tasks get to stop before the worker gives up on them.",
  })
  .define({
    name: "tasks.max.limit",
    type: "int",
    defaultValue: 1000,
    validator: range(1),
    importance: "medium",
    documentation:
      "sluice only: the highest tasks.max a connector may have on this worker. A connector asking for more is " +
      "refused at creation (400, on its tasks.max key) and one stored with more fails instead of generating its " +
      "tasks: a connector asked for a billion task configurations would take the worker's memory.",
  })
  .define({
    name: "task.threads",
    type: "int",
    defaultValue: null,
    validator: range(0),
    importance: "medium",
    documentation:
      "sluice only: how many threads run tasks, each task on one thread for its whole life; unset: one per core. " +
      "0 runs every task on the main thread beside the REST API (inline mode, for debugging and profiling).",
  })
  .define({
    name: "task.thread.watchdog.timeout.ms",
    type: "long",
    defaultValue: 60000,
    validator: range(1),
    importance: "low",
    documentation:
      "sluice only: a task thread that answers no ping for this long is stopped; the task that blocked it is FAILED " +
      "and the thread's other tasks start again on another thread.",
  })
  .define({
    name: "plugin.path",
    type: "list",
    defaultValue: null,
    importance: "low",
    documentation:
      "Folders holding external plugins: each sub-folder (or the folder itself) with an index.ts exporting `manifests`.",
  })
  .define({
    name: "config.providers",
    type: "list",
    defaultValue: [],
    importance: "low",
    documentation:
      // biome-ignore lint/suspicious/noTemplateCurlyInString: this is the placeholder syntax, not a template
      "Names of config providers; each needs config.providers.<name>.class and may take config.providers.<name>.param.*. Configurations then use ${<name>:[path:]key}.",
  })
  .define({
    name: "listeners",
    type: "list",
    defaultValue: ["http://:8083"],
    validator: (name, value) => void parseListeners(value as string[], name),
    importance: "low",
    documentation:
      "REST API listeners, comma separated, as http://host:port; an empty host means all interfaces (https is not supported yet).",
  })
  .define({
    name: "rest.advertised.host.name",
    type: "string",
    defaultValue: null,
    importance: "low",
    documentation: "Host name other workers and the status use for this worker; defaults to the listener's.",
  })
  .define({
    name: "rest.advertised.port",
    type: "int",
    defaultValue: null,
    importance: "low",
    documentation: "Port other workers and the status use for this worker; defaults to the listener's.",
  })
  .define({
    name: "rest.advertised.listener",
    type: "string",
    defaultValue: null,
    validator: oneOf(["http", "https"], { caseInsensitive: true }),
    importance: "low",
    documentation:
      "Protocol of the advertised URL (http or https, e.g. behind a TLS proxy); defaults to the listeners'.",
  })
  .define({
    name: "admin.listeners",
    type: "list",
    defaultValue: null,
    validator: (name, value) => void parseAdminListeners(value as string[] | null, name),
    importance: "low",
    documentation:
      "Listeners for the admin routes (/admin/loggers), as http://host:port; unset: on the main listeners; empty: disabled.",
  })
  .define({
    name: "access.control.allow.origin",
    type: "string",
    defaultValue: "",
    importance: "low",
    documentation:
      "Origins allowed to call the REST API from a browser (comma separated, * for any, * inside an entry as wildcard); empty: none.",
  })
  .define({
    name: "access.control.allow.methods",
    type: "string",
    defaultValue: "",
    importance: "low",
    documentation: "Methods allowed in cross-origin requests (comma separated); empty: GET, POST and HEAD.",
  })
  .define({
    name: RESPONSE_HEADERS_KEY,
    type: "string",
    defaultValue: "",
    validator: (_name, value) => void parseHeaderRules(value as string | null),
    importance: "low",
    documentation:
      "Headers added to every REST response: comma-separated rules '[action] [name]: [value]', action set, add, setDate or addDate.",
  })
  .define({
    name: CREDENTIALS_FILE_KEY,
    type: "string",
    defaultValue: null,
    importance: "low",
    documentation:
      "Turns on HTTP basic authentication: a properties file of user=password lines (a password may be a Bun.password hash).",
  })
  .define({
    name: TOKENS_FILE_KEY,
    type: "string",
    defaultValue: null,
    importance: "low",
    documentation: "Turns on bearer-token authentication: a file of accepted tokens, one a line (# comments).",
  })
  .define({
    name: TOKENS_KEY,
    type: "password",
    defaultValue: null,
    importance: "low",
    documentation: "Turns on bearer-token authentication: accepted tokens, comma separated.",
  })
  .define({
    name: BODY_MAX_BYTES_KEY,
    type: "int",
    defaultValue: DEFAULT_BODY_MAX_BYTES,
    validator: range(1),
    importance: "low",
    documentation:
      "sluice only: the most bytes a REST request body may have (8 MiB by default). A larger one is refused with 413 " +
      "before it is read: an announced Content-Length at once, a chunked body as soon as it passes the limit.",
  })
  .define({
    name: "rest.auth.realm",
    type: "string",
    defaultValue: "sluice",
    importance: "low",
    documentation: "Realm named in the WWW-Authenticate challenges of a 401.",
  })
  .define({
    name: "topic.creation.enable",
    type: "boolean",
    defaultValue: true,
    importance: "low",
    documentation: "Whether source connectors may create their topics (topic.creation.* keys).",
  })
  .define({
    name: "topic.tracking.enable",
    type: "boolean",
    defaultValue: true,
    importance: "low",
    documentation: "Enable tracking the set of active topics per connector during runtime.",
  })
  .define({
    name: "topic.tracking.allow.reset",
    type: "boolean",
    defaultValue: true,
    importance: "low",
    documentation: "If set to true, it allows user requests to reset the set of active topics per connector.",
  });

/** Standalone mode adds the offsets file, and (beyond Kafka) the file that keeps connectors across restarts. */
export const standaloneConfigDef = workerConfigDef.merge(
  new ConfigDef()
    .define({
      name: "offset.storage.file.filename",
      type: "string",
      importance: "high",
      documentation: "File in which source offsets are stored.",
    })
    .define({
      name: "config.storage.file.filename",
      type: "string",
      defaultValue: null,
      importance: "low",
      documentation:
        "sluice only: file in which connectors created through the REST API, and their target states, are kept " +
        "across restarts. Defaults to `<offsets file name>.connectors.json` beside the offsets file.",
    }),
);
