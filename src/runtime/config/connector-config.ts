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
      "Name or alias of the class for this connector: the full class name (e.g. " +
      "org.apache.kafka.connect.file.FileStreamSinkConnector), the simple name, or the simple name without " +
      "its Connector suffix (FileStreamSink).",
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
      "Deprecated (as in Kafka). Whether to fail a connector that generates more task configurations than tasks.max.",
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
    documentation: "Converter for record keys; overrides the worker's key.converter.",
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
    documentation: "Converter for record values; overrides the worker's value.converter.",
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
    documentation: "Converter for header values; overrides the worker's header.converter.",
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
    documentation: "Aliases of the transformations to apply to records, in order.",
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
    documentation: "Aliases of the predicates transformations may be conditioned on.",
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
      "What to do when an external configuration provider reports a change: 'restart' restarts the connector, " +
      "'none' does nothing.",
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
        documentation: "Topics to consume from (comma separated).",
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
        documentation: "Regular expression of the topics to consume from.",
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
