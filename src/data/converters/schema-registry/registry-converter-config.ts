import { AbstractConfig, ConfigDef, type ConfigKey } from "../../../api/config-def.ts";
import {
  type ClientSettings,
  clientSettings,
  schemaRegistryClientConfigDef,
} from "../../../schema-registry/client-config.ts";
import { type SubjectNameStrategy, subjectNameStrategy } from "./subject-name-strategy.ts";

/** The serializer and deserializer keys every registry converter takes (Confluent's AbstractKafkaSchemaSerDeConfig). */

const key = (k: Omit<ConfigKey, "group" | "orderInGroup" | "width" | "displayName">): ConfigKey => ({
  ...k,
  group: "Serialization",
  width: "medium",
});

const TOPIC_NAME_STRATEGY = "io.confluent.kafka.serializers.subject.TopicNameStrategy";
const STRATEGY_DOC =
  "Determines how to construct the subject name under which the schema is registered with the schema registry. By default, <topic>-key or <topic>-value is used as subject.";

export const registrySerdeConfigDef = new ConfigDef()
  .define(
    key({
      name: "auto.register.schemas",
      type: "boolean",
      defaultValue: true,
      importance: "medium",
      documentation: "Specify if the Serializer should attempt to register the Schema with Schema Registry",
    }),
  )
  .define(
    key({
      name: "use.latest.version",
      type: "boolean",
      defaultValue: false,
      importance: "low",
      documentation: "Specify if the Serializer should use the latest subject version for serialization",
    }),
  )
  .define(
    key({
      name: "latest.compatibility.strict",
      type: "boolean",
      defaultValue: true,
      importance: "low",
      documentation:
        "Specify if the Serializer should check the backward compatibility with the latest subject version when using use.latest.version=true",
    }),
  )
  .define(
    key({
      name: "normalize.schemas",
      type: "boolean",
      defaultValue: false,
      importance: "low",
      documentation: "Whether to normalize schemas, which generally ignores ordering when it is not significant",
    }),
  )
  .define(
    key({
      name: "use.schema.id",
      type: "int",
      defaultValue: -1,
      importance: "low",
      documentation: "Schema ID to use for serialization",
    }),
  )
  .define(
    key({
      name: "key.subject.name.strategy",
      type: "class",
      defaultValue: TOPIC_NAME_STRATEGY,
      importance: "medium",
      documentation: STRATEGY_DOC,
    }),
  )
  .define(
    key({
      name: "value.subject.name.strategy",
      type: "class",
      defaultValue: TOPIC_NAME_STRATEGY,
      importance: "medium",
      documentation: STRATEGY_DOC,
    }),
  );

export interface RegistrySerdeSettings {
  readonly client: ClientSettings;
  readonly autoRegister: boolean;
  readonly useLatestVersion: boolean;
  readonly latestCompatibilityStrict: boolean;
  readonly normalize: boolean;
  /** -1: none; otherwise every record is written with this schema id. */
  readonly useSchemaId: number;
  readonly strategy: SubjectNameStrategy;
}

/** A registry converter's whole definition: the client's keys, the serde keys, then its format's own. */
export function registryConverterConfigDef(formatDef: ConfigDef): ConfigDef {
  return schemaRegistryClientConfigDef.merge(registrySerdeConfigDef).merge(formatDef);
}

export function registrySerdeSettings(
  configs: Readonly<Record<string, string>>,
  isKey: boolean,
): RegistrySerdeSettings {
  const config = new AbstractConfig(registrySerdeConfigDef, configs);
  const strategyKey = isKey ? "key.subject.name.strategy" : "value.subject.name.strategy";
  return {
    client: clientSettings(configs),
    autoRegister: config.getBoolean("auto.register.schemas"),
    useLatestVersion: config.getBoolean("use.latest.version"),
    latestCompatibilityStrict: config.getBoolean("latest.compatibility.strict"),
    normalize: config.getBoolean("normalize.schemas"),
    useSchemaId: config.getInt("use.schema.id"),
    strategy: subjectNameStrategy(config.getString(strategyKey), strategyKey),
  };
}
