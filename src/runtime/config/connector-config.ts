import { ConfigDef, nonEmptyString, range } from "../../api/config-def.ts";
import { ConfigError } from "../../api/errors.ts";
import { errorHandlingConfigDef } from "../errors/error-handling-config.ts";

/** Kafka Connect's common connector keys (ConnectorConfig). */
export const connectorConfigDef = new ConfigDef()
  .define({
    name: "name",
    type: "string",
    validator: Object.assign(
      (_name: string, value: unknown) => {
        if (typeof value !== "string" || value.trim() === "") throw new Error("String must be non-empty");
        // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are exactly what is refused
        if (/[\u0000-\u001f\u007f-\u009f]/.test(value)) throw new Error("String may not contain control sequences");
      },
      { description: "non-empty string without ISO control characters" },
    ),
    importance: "high",
    documentation: "Globally unique name to use for this connector.",
    group: "Common",
    orderInGroup: 1,
    displayName: "Connector name",
  })
  .define({
    name: "connector.class",
    type: "string",
    validator: nonEmptyString,
    importance: "high",
    documentation: "Name or alias of the class for this connector.",
    group: "Common",
    orderInGroup: 2,
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
    orderInGroup: 3,
    displayName: "Tasks max",
  })
  .define({
    name: "key.converter",
    type: "class",
    defaultValue: null,
    importance: "low",
    documentation: "Converter for keys; overrides the worker's.",
    group: "Common",
    orderInGroup: 5,
  })
  .define({
    name: "value.converter",
    type: "class",
    defaultValue: null,
    importance: "low",
    documentation: "Converter for values; overrides the worker's.",
    group: "Common",
    orderInGroup: 6,
  })
  .define({
    name: "header.converter",
    type: "class",
    defaultValue: null,
    importance: "low",
    documentation: "Converter for header values; overrides the worker's.",
    group: "Common",
    orderInGroup: 7,
  });

/** The keys every connector validates: the common ones and error handling (`errors.*`). */
const commonConnectorConfigDef = connectorConfigDef.merge(errorHandlingConfigDef);

/** Sink connectors add the topics to consume (SinkConnectorConfig). */
export const sinkConnectorConfigDef = commonConnectorConfigDef.merge(
  new ConfigDef()
    .define({
      name: "topics",
      type: "list",
      defaultValue: [],
      importance: "high",
      documentation: "Topics to consume from (comma separated).",
      group: "Common",
      orderInGroup: 4,
    })
    .define({
      name: "topics.regex",
      type: "string",
      defaultValue: "",
      importance: "high",
      documentation: "Regular expression of the topics to consume from.",
      group: "Common",
      orderInGroup: 4,
    }),
);

export const sourceConnectorConfigDef = commonConnectorConfigDef;

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
