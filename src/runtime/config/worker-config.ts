import { ConfigDef, oneOf, range } from "../../api/config-def.ts";

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
    importance: "low",
    documentation: "REST API listeners, as http://host:port; an empty host means all interfaces.",
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
    name: "topic.creation.enable",
    type: "boolean",
    defaultValue: true,
    importance: "low",
    documentation: "Whether source connectors may create their topics (topic.creation.* keys).",
  })
  .define({
    name: "exactly.once.source.support",
    type: "string",
    defaultValue: "disabled",
    validator: oneOf(["disabled", "preparing", "enabled"], { caseInsensitive: true }),
    importance: "low",
    documentation: "Exactly-once source support; only `disabled` is implemented so far.",
  });

/** Standalone mode adds the offsets file. */
export const standaloneConfigDef = workerConfigDef.merge(
  new ConfigDef().define({
    name: "offset.storage.file.filename",
    type: "string",
    importance: "high",
    documentation: "File in which source offsets are stored.",
  }),
);
