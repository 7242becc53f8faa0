import { ConfigDef, range } from "../../api/config-def.ts";

/**
 * The worker's own keys, with Kafka Connect's names and defaults (WorkerConfig, StandaloneConfig). Keys prefixed
 * `producer.`, `consumer.` and `admin.` pass through to the Kafka clients. The REST server's keys are its own
 * (src/rest/rest-config.ts); whoever assembles a worker parses its properties against both.
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
    name: "metrics.sample.window.ms",
    type: "long",
    defaultValue: 30_000,
    validator: range(1),
    importance: "low",
    documentation: "The window of time a metrics sample is computed over.",
  })
  .define({
    name: "metrics.num.samples",
    type: "int",
    defaultValue: 2,
    validator: range(1),
    importance: "low",
    documentation: "The number of samples maintained to compute metrics.",
  })
  .define({
    name: "task.threads",
    type: "int",
    defaultValue: null,
    validator: Object.assign((name: string, value: unknown) => value === null || range(0)(name, value), {
      description: "[0,...]",
    }),
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
