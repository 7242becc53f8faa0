import type { AbstractConfig } from "../../api/config-def.ts";
import {
  ConfigDef,
  type ConfigKey,
  type ConfigValue,
  UnparseableValueError,
  type Validator,
} from "../../api/config-def.ts";
import { ConfigError } from "../../api/errors.ts";
import { SinkConnector } from "../../api/sink.ts";
import type { SourceConnector } from "../../api/source.ts";
import { sinkConnectorConfigDef, sinkTopicsError, sourceConnectorConfigDef } from "../config/connector-config.ts";
import { type ExactlyOnceSourceSupport, exactlyOnceSourceSupport } from "../config/exactly-once-config.ts";
import { dlqTopicConsumedError } from "../errors/error-handling-config.ts";
import { addExactlyOnceSourceErrors } from "../exactly-once/exactly-once-validation.ts";
import { TransformationChain } from "../pipeline/transformation-chain.ts";
import type { PluginRegistry } from "../plugins/plugin-registry.ts";
import {
  type ConfigInfos,
  embed,
  generateResult,
  groupsOf,
  mergeConfigInfos,
  prefixedConfigInfos,
} from "./config-infos.ts";

/**
 * Kafka's AbstractHerder.validateConnectorConfig: a connector configuration checked against Connect's common keys,
 * the keys of each configured transform and predicate (ConnectorConfig.enrich), the connector's own ConfigDef and
 * `validate`, and the keys of the converters the connector names, all in one ConfigInfos.
 */

export type ConnectorKind = "source" | "sink";

/** The worker's converters, which Kafka 4.1 reports as the defaults of the connector's converter keys. */
export interface WorkerConverters {
  readonly "key.converter"?: string;
  readonly "value.converter"?: string;
  readonly "header.converter"?: string;
}

export interface ConnectorValidation {
  readonly type: ConnectorKind;
  readonly infos: ConfigInfos;
}

const NULL_VALUE_ERROR = "Null value can not be supplied as the configuration value.";

/** The worker's converter classes, which a connector's own converter keys default to. */
export function workerConverters(config: AbstractConfig): WorkerConverters {
  return {
    "key.converter": config.getString("key.converter"),
    "value.converter": config.getString("value.converter"),
    "header.converter": config.getString("header.converter"),
  };
}

/** What the worker bounds in a connector's configuration. */
export interface WorkerLimits {
  /** The worker's `tasks.max.limit`. */
  readonly tasksMax: number;
  /**
   * The worker's `exactly.once.source.support`, against which source connectors' exactly-once keys are checked;
   * null on a standalone worker, which has no such key and checks nothing of the kind (as Kafka's).
   */
  readonly exactlyOnceSource?: ExactlyOnceSourceSupport | null;
}

/** The worker's limits, from its configuration. */
export function workerLimits(config: AbstractConfig): WorkerLimits {
  return { tasksMax: config.getInt("tasks.max.limit"), exactlyOnceSource: exactlyOnceSourceSupport(config) };
}

/** The error of a `tasks.max` above the worker's limit, worded as Kafka's range errors; null when within. */
export function tasksMaxLimitError(value: string | undefined, limits: WorkerLimits): string | null {
  const tasksMax = Number(value ?? "1");
  if (!Number.isFinite(tasksMax) || tasksMax <= limits.tasksMax) return null;
  return `Invalid value ${value} for configuration tasks.max: Value must be at most ${limits.tasksMax} (the worker's tasks.max.limit)`;
}

/** Validates a configuration (values may be null, as a JSON body allows); throws only when no connector is named. */
export function validateConnectorConfig(
  plugins: PluginRegistry,
  props: Readonly<Record<string, string | null>>,
  workerConverters: WorkerConverters = {},
  limits: WorkerLimits | null = null,
): ConnectorValidation {
  const className = props["connector.class"];
  if (className === undefined || className === null || className.trim() === "") {
    throw new ConfigError('Missing required configuration "connector.class" which has no default value.', {
      key: "connector.class",
    });
  }
  const connector = plugins.connector(className).create();
  const type: ConnectorKind = connector instanceof SinkConnector ? "sink" : "source";
  const config = Object.fromEntries(
    Object.entries(props).filter((entry): entry is [string, string] => entry[1] !== null),
  );

  const base = withConverterKeys(type === "sink" ? sinkConnectorConfigDef : sourceConnectorConfigDef, plugins, {
    ...workerConverters,
  });
  const enriched = enrich(base, plugins, config);
  const values = new Map<string, ConfigValue>(enriched.validate(config).map((v) => [v.name, v]));
  const exactlyOnceSource = limits?.exactlyOnceSource ?? null;
  if (type === "source" && exactlyOnceSource !== null)
    addExactlyOnceSourceErrors(connector as SourceConnector, config, values, exactlyOnceSource);
  const valueFor = (name: string) => {
    let value = values.get(name);
    if (!value) {
      value = { name, value: config[name] ?? null, recommendedValues: [], errors: [], visible: true };
      values.set(name, value);
    }
    return value;
  };
  for (const [name, value] of Object.entries(props)) if (value === null) valueFor(name).errors.push(NULL_VALUE_ERROR);
  const tasksMaxError = limits === null ? null : tasksMaxLimitError(config["tasks.max"], limits);
  if (tasksMaxError !== null && valueFor("tasks.max").errors.length === 0)
    valueFor("tasks.max").errors.push(tasksMaxError);
  if (type === "sink") {
    // Kafka's SinkConnectorConfig.validate reports a topics problem on both keys.
    const topicsError = sinkTopicsError(config);
    if (topicsError) for (const key of ["topics", "topics.regex"]) valueFor(key).errors.push(topicsError.message);
    const dlqError = dlqTopicConsumedError(config);
    if (dlqError?.key) valueFor(dlqError.key).errors.push(dlqError.message);
  }
  recommendClasses(values, plugins);
  addTransformationErrors(values, valueFor, config, plugins);

  const ownDef = connector.config();
  const keys = new Map<string, ConfigKey>(enriched.configKeys());
  for (const [name, key] of ownDef.configKeys()) keys.set(name, key);
  const groups = [...new Set([...groupsOf(enriched), ...groupsOf(ownDef)])];
  // A key the framework already reported on (a null value) keeps that error beside the connector's own.
  for (const own of connector.validate(config)) {
    const earlier = values.get(own.name);
    values.set(own.name, earlier ? { ...own, errors: [...earlier.errors, ...own.errors] } : own);
  }
  const main = generateResult(className, keys, [...values.values()], groups);

  const converterInfos = (["header", "key", "value"] as const).map((kind) =>
    converterConfigInfos(kind, config, values.get(`${kind}.converter`), plugins),
  );
  return { type, infos: mergeConfigInfos(className, [main, ...converterInfos]) };
}

/** Kafka's create/update error (AbstractHerder.maybeAddConfigErrors), or null when the configuration is valid. */
export function configErrorsMessage(infos: ConfigInfos): string | null {
  if (infos.error_count === 0) return null;
  const messages = infos.configs.flatMap((c) => c.value?.errors ?? []);
  return (
    `Connector configuration is invalid and contains the following ${infos.error_count} error(s):\n` +
    `${messages.join("\n")}\n` +
    "You can also find the above list of errors at the endpoint `/connector-plugins/{connectorType}/config/validate`"
  );
}

/**
 * A configuration to store, once its validation has passed; otherwise the ConfigError that create and update answer
 * with (400). A null value (a JSON body may hold one) is among the errors validation reports, so none is left.
 */
export function validConfig(
  config: Readonly<Record<string, string | null>>,
  infos: ConfigInfos,
): Record<string, string> {
  const errors = configErrorsMessage(infos);
  if (errors) throw new ConfigError(errors, { code: "CONNECTOR_CONFIG_INVALID" });
  return config as Record<string, string>;
}

/** A validator that accepts only the names of plugins `find` knows, in Kafka's words for a class it cannot load. */
function pluginClass(find: (name: string) => unknown): Validator {
  return (_name, value) => {
    if (value === null || value === undefined) return;
    try {
      find(String(value));
    } catch {
      throw new UnparseableValueError(`Class ${String(value)} could not be found.`);
    }
  };
}

/** The common keys with the converter keys checked against the registry and defaulting to the worker's classes. */
function withConverterKeys(base: ConfigDef, plugins: PluginRegistry, worker: WorkerConverters): ConfigDef {
  const def = new ConfigDef();
  for (const key of base.configKeys().values()) {
    if (key.name === "key.converter" || key.name === "value.converter" || key.name === "header.converter") {
      const find =
        key.name === "header.converter"
          ? (n: string) => plugins.headerConverter(n)
          : (n: string) => plugins.converter(n);
      def.define({ ...key, defaultValue: worker[key.name] ?? null, validator: pluginClass(find) });
    } else {
      def.define(key);
    }
  }
  return def;
}

/**
 * Kafka's ConnectorConfig.enrich: `transforms.<alias>.*` and `predicates.<alias>.*` keys, one group per alias. The
 * plugin's keys are numbered from 2, as in Kafka 4.1 where `<prefix>plugin.version` takes 1.
 */
function enrich(base: ConfigDef, plugins: PluginRegistry, config: Readonly<Record<string, string>>): ConfigDef {
  const def = base.merge(new ConfigDef());
  for (const alias of aliasesOf(config.transforms)) {
    const prefix = `transforms.${alias}.`;
    const group = `Transforms: ${alias}`;
    def.define({
      name: `${prefix}type`,
      type: "class",
      validator: (name, value) => {
        pluginClass((n) => plugins.transformation(n))(name, value);
        // Kafka's TransformationStage check: negating needs a predicate.
        if (config[`${prefix}negate`] !== undefined && config[`${prefix}predicate`] === undefined) {
          throw new ConfigError(
            `Config '${prefix}negate' was provided but there is no config '${prefix}predicate' defining a predicate to be negated.`,
            { key: name },
          );
        }
      },
      importance: "high",
      documentation: `Class for the '${alias}' transformation.`,
      group,
      orderInGroup: 0,
      width: "long",
      displayName: `Transformation type for ${alias}`,
    });
    const child = new ConfigDef()
      .define({
        name: "predicate",
        type: "string",
        defaultValue: null,
        importance: "medium",
        documentation: "The alias of the predicate that decides whether this transformation applies.",
      })
      .define({
        name: "negate",
        type: "boolean",
        defaultValue: false,
        importance: "medium",
        documentation: "Whether to apply the transformation when the predicate does not match.",
      });
    const own = pluginConfigDef(() =>
      plugins
        .transformation(config[`${prefix}type`] ?? "")
        .create()
        .config(),
    );
    if (!own) continue;
    // The implicit `predicate` and `negate` keys mask a transformation's own keys of the same name, as in Kafka.
    for (const key of own.configKeys().values())
      if (key.name !== "predicate" && key.name !== "negate") child.define(key);
    embed(def, prefix, group, 2, child);
  }
  for (const alias of aliasesOf(config.predicates)) {
    const prefix = `predicates.${alias}.`;
    const group = `Predicates: ${alias}`;
    def.define({
      name: `${prefix}type`,
      type: "class",
      validator: pluginClass((n) => plugins.predicate(n)),
      importance: "high",
      documentation: `Class for the '${alias}' predicate.`,
      group,
      orderInGroup: 0,
      width: "long",
      displayName: `Predicate type for ${alias}`,
    });
    const own = pluginConfigDef(() =>
      plugins
        .predicate(config[`${prefix}type`] ?? "")
        .create()
        .config(),
    );
    if (own) embed(def, prefix, group, 2, own);
  }
  return def;
}

/** Unique aliases in order (duplicates are reported on the list key itself). */
function aliasesOf(raw: string | undefined): string[] {
  const trimmed = (raw ?? "").trim();
  return trimmed === "" ? [] : [...new Set(trimmed.split(/\s*,\s*/))];
}

/** A plugin's ConfigDef, or null when the plugin cannot be found (its type key reports that). */
function pluginConfigDef(get: () => ConfigDef): ConfigDef | null {
  try {
    return get();
  } catch {
    return null;
  }
}

/** Kafka's ClassRecommender: the class keys list the plugins they may name. */
function recommendClasses(values: Map<string, ConfigValue>, plugins: PluginRegistry): void {
  const classNames = (types: Parameters<PluginRegistry["descriptors"]>[0]) =>
    plugins.descriptors(types).map((d) => d.className);
  const converters = classNames(["converter"]);
  const headerConverters = classNames(["header_converter"]);
  const transformations = classNames(["transformation"]);
  const predicates = classNames(["predicate"]);
  for (const [name, value] of values) {
    const recommended =
      name === "key.converter" || name === "value.converter"
        ? converters
        : name === "header.converter"
          ? headerConverters
          : /^transforms\.[^.]*\.type$/.test(name)
            ? transformations
            : /^predicates\.[^.]*\.type$/.test(name)
              ? predicates
              : null;
    if (recommended) values.set(name, { ...value, recommendedValues: recommended });
  }
}

/**
 * Beyond Kafka (which only checks each key against its ConfigDef), sluice configures the transforms and predicates
 * as a task would, so problems only `configure` sees (an unknown predicate alias, a bad regex) show up here rather
 * than when the task starts. Added only when the ConfigDef checks found nothing, so nothing is reported twice.
 */
function addTransformationErrors(
  values: Map<string, ConfigValue>,
  valueFor: (name: string) => ConfigValue,
  config: Readonly<Record<string, string>>,
  plugins: PluginRegistry,
): void {
  const chainKey = /^(transforms|predicates)(\.|$)/;
  for (const value of values.values()) if (chainKey.test(value.name) && value.errors.length > 0) return;
  for (const problem of TransformationChain.validate(config, plugins))
    valueFor(problem.name).errors.push(...problem.errors);
}

/** Kafka's validateConverterConfig: a converter named in the connector config, validated with its own keys. */
function converterConfigInfos(
  kind: "key" | "value" | "header",
  config: Readonly<Record<string, string>>,
  classValue: ConfigValue | undefined,
  plugins: PluginRegistry,
): ConfigInfos | null {
  const property = `${kind}.converter`;
  const className = config[property];
  if (className === undefined || !classValue || classValue.errors.length > 0) return null;
  const converter =
    kind === "header" ? plugins.headerConverter(className).create() : plugins.converter(className).create();
  const def = converter.config();
  const prefix = `${property}.`;
  const props: Record<string, string> = { "converter.type": kind };
  for (const [key, value] of Object.entries(config))
    if (key.startsWith(prefix)) props[key.slice(prefix.length)] = value;
  return prefixedConfigInfos(def.configKeys(), def.validate(props), prefix);
}
