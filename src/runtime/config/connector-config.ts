import { ConfigDef, nonEmptyString, oneOf, range, type Validator } from "../../api/config-def.ts";
import { ConfigError } from "../../api/errors.ts";
import { deadLetterQueueConfigDef, errorToleranceConfigDef } from "../errors/error-handling-config.ts";
import { exactlyOnceSourceConfigDef } from "./exactly-once-config.ts";

/** Kafka's ConnectorConfig alias-list validator: `transforms` and `predicates` name each alias once. */
const uniqueAliases: Validator = Object.assign(
  (_name: string, value: unknown) => {
    if (Array.isArray(value) && new Set(value).size !== value.length) throw new Error("Duplicate alias provided.");
  },
  { description: "unique aliases" },
);

/**
 * Kafka Connect's common connector keys (ConnectorConfig), with Kafka's groups, orders, widths and display names so
 * `/connector-plugins/{plugin}/config` and `/config/validate` describe them as Kafka does. Kafka 4.1's
 * `*.plugin.version` keys (orders 3, 7, 9, 11) are left out: sluice loads one version of each plugin.
 */
/** The longest connector name, URL-encoded: `/connectors/{name}/tasks/{n}/status` must fit a request line. */
export const MAX_ENCODED_NAME_LENGTH = 4096;

/**
 * Why no URL can name a connector of this name, or null: an unpaired surrogate (it has no UTF-8 form, so no
 * percent-encoding), `.` or `..` (URLs resolve them as path segments), or a name too long for a request line.
 */
export function unreachableNameProblem(name: string): string | null {
  if (!name.isWellFormed())
    return "String may not contain an unpaired surrogate: it has no UTF-8 form, so no URL can name the connector";
  if (name === "." || name === "..")
    return `String may not be "${name}": URLs resolve it as a path segment, so no URL can name the connector`;
  const encoded = encodeURIComponent(name).length;
  if (encoded > MAX_ENCODED_NAME_LENGTH)
    return `String is too long for a URL: at most ${MAX_ENCODED_NAME_LENGTH} characters once URL-encoded, this one has ${encoded}`;
  return null;
}

export const connectorConfigDef = new ConfigDef()
  .define({
    name: "name",
    type: "string",
    validator: Object.assign(
      (_name: string, value: unknown) => {
        // Kafka's NonEmptyStringWithoutControlChars lets null through: a missing name is reported as missing.
        if (value === null) return;
        if (typeof value !== "string" || value.trim() === "") throw new Error("String must be non-empty");
        // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are exactly what is refused
        if (/[\u0000-\u001f\u007f-\u009f]/.test(value)) throw new Error("String may not contain control sequences");
        // Beyond Kafka: a name no URL can carry would make a connector that can be neither read nor deleted.
        const problem = unreachableNameProblem(value);
        if (problem !== null) throw new Error(problem);
      },
      { description: "non-empty string without ISO control characters, that a URL can carry" },
    ),
    importance: "high",
    documentation: "Globally unique name to use for this connector.",
    group: "Common",
    orderInGroup: 1,
    width: "medium",
    displayName: "Connector name",
  })
  .define({
    name: "connector.class",
    type: "string",
    validator: nonEmptyString,
    importance: "high",
    documentation:
      "Name or alias of the class for this connector. Must be a subclass of " +
      "org.apache.kafka.connect.connector.Connector. If the connector is " +
      "org.apache.kafka.connect.file.FileStreamSinkConnector, you can either specify this full name,  or " +
      'use "FileStreamSink" or "FileStreamSinkConnector" to make the configuration a bit shorter',
    group: "Common",
    orderInGroup: 2,
    width: "long",
    displayName: "Connector class",
  })
  .define({
    name: "tasks.max",
    type: "int",
    defaultValue: 1,
    validator: range(1),
    importance: "high",
    documentation: "Maximum number of tasks to use for this connector.",
    group: "Common",
    orderInGroup: 4,
    width: "short",
    displayName: "Tasks max",
  })
  .define({
    name: "tasks.max.enforce",
    type: "boolean",
    defaultValue: true,
    importance: "low",
    documentation:
      "(Deprecated) Whether to enforce that the tasks.max property is respected by the connector. By " +
      "default, connectors that generate too many tasks will fail, and existing sets of tasks that exceed " +
      "the tasks.max property will also be failed. If this property is set to false, then connectors will " +
      "be allowed to generate more than the maximum number of tasks, and existing sets of tasks that " +
      "exceed the tasks.max property will be allowed to run. This property is deprecated and will be " +
      "removed in an upcoming major release.",
    group: "Common",
    orderInGroup: 5,
    width: "short",
    displayName: "Enforce tasks max",
  })
  .define({
    name: "key.converter",
    type: "class",
    defaultValue: null,
    importance: "low",
    documentation:
      "Converter class used to convert between Kafka Connect format and the serialized form that is " +
      "written to Kafka. This controls the format of the keys in messages written to or read from Kafka, " +
      "and since this is independent of connectors it allows any connector to work with any serialization " +
      "format. Examples of common formats include JSON and Avro.",
    group: "Common",
    orderInGroup: 6,
    width: "short",
    displayName: "Key converter class",
  })
  .define({
    name: "value.converter",
    type: "class",
    defaultValue: null,
    importance: "low",
    documentation:
      "Converter class used to convert between Kafka Connect format and the serialized form that is " +
      "written to Kafka. This controls the format of the values in messages written to or read from Kafka, " +
      "and since this is independent of connectors it allows any connector to work with any serialization " +
      "format. Examples of common formats include JSON and Avro.",
    group: "Common",
    orderInGroup: 8,
    width: "short",
    displayName: "Value converter class",
  })
  .define({
    name: "header.converter",
    type: "class",
    defaultValue: null,
    importance: "low",
    documentation:
      "HeaderConverter class used to convert between Kafka Connect format and the serialized form that is " +
      "written to Kafka. This controls the format of the header values in messages written to or read from " +
      "Kafka, and since this is independent of connectors it allows any connector to work with any " +
      "serialization format. Examples of common formats include JSON and Avro. By default, the " +
      "SimpleHeaderConverter is used to serialize header values to strings and deserialize them by " +
      "inferring the schemas.",
    group: "Common",
    orderInGroup: 10,
    width: "short",
    displayName: "Header converter class",
  })
  .define({
    name: "transforms",
    type: "list",
    defaultValue: [],
    validator: uniqueAliases,
    importance: "low",
    documentation: "Aliases for the transformations to be applied to records.",
    group: "Transforms",
    orderInGroup: 12,
    width: "long",
    displayName: "Transforms",
  })
  .define({
    name: "predicates",
    type: "list",
    defaultValue: [],
    validator: uniqueAliases,
    importance: "low",
    documentation: "Aliases for the predicates used by transformations.",
    group: "Predicates",
    orderInGroup: 13,
    width: "long",
    displayName: "Predicates",
  })
  .define({
    name: "config.action.reload",
    type: "string",
    defaultValue: "restart",
    validator: oneOf(["none", "restart"]),
    importance: "low",
    documentation:
      "The action that Connect should take on the connector when changes in external configuration " +
      "providers result in a change in the connector's configuration properties. A value of 'none' " +
      "indicates that Connect will do nothing. A value of 'restart' indicates that Connect should " +
      "restart/reload the connector with the updated configuration properties.The restart may actually be " +
      "scheduled in the future if the external configuration provider indicates that a configuration value " +
      "will expire in the future.",
    group: "Common",
    orderInGroup: 14,
    width: "medium",
    displayName: "Reload Action",
  });

/** The keys every connector validates: the common ones and error tolerance (`errors.*`). */
const commonConnectorConfigDef = connectorConfigDef.merge(errorToleranceConfigDef);

/** Sink connectors add the topics to consume, then the dead-letter queue's keys (SinkConnectorConfig's order). */
export const sinkConnectorConfigDef = commonConnectorConfigDef
  .merge(
    new ConfigDef()
      .define({
        name: "topics",
        type: "list",
        defaultValue: [],
        importance: "high",
        documentation: "List of topics to consume, separated by commas",
        group: "Common",
        orderInGroup: 4,
        width: "long",
        displayName: "Topics",
      })
      .define({
        name: "topics.regex",
        type: "string",
        defaultValue: "",
        importance: "high",
        documentation:
          "Regular expression giving topics to consume. Under the hood, the regex is compiled to a " +
          "<code>java.util.regex.Pattern</code>. Only one of topics or topics.regex should be specified.",
        group: "Common",
        orderInGroup: 4,
        width: "long",
        displayName: "Topics regex",
      }),
  )
  .merge(deadLetterQueueConfigDef);

/**
 * Source connectors add the exactly-once keys (SourceConnectorConfig); Kafka's `topic.creation.groups` and its
 * "Topic Creation" group are not implemented yet.
 */
export const sourceConnectorConfigDef = commonConnectorConfigDef
  .merge(deadLetterQueueConfigDef)
  .merge(exactlyOnceSourceConfigDef);

/** Kafka's SinkConnectorConfig.validate: exactly one of `topics` and `topics.regex`. */
export function sinkTopicsError(config: Readonly<Record<string, string>>): ConfigError | null {
  const topics = (config.topics ?? "").trim();
  const regex = (config["topics.regex"] ?? "").trim();
  if (topics !== "" && regex !== "") {
    return new ConfigError("topics and topics.regex are mutually exclusive options, but both are set.", {
      key: "topics",
    });
  }
  if (topics === "" && regex === "") {
    return new ConfigError("Must configure one of topics or topics.regex", { key: "topics" });
  }
  return null;
}
