import { type AbstractConfig, ConfigDef, type Validator } from "../../api/config-def.ts";

/**
 * Exactly-once source support (KIP-618) as configuration: the distributed worker's `exactly.once.source.support`
 * and a source connector's `exactly.once.support`, `transaction.boundary`, `transaction.boundary.interval.ms` and
 * `offsets.storage.topic`, with Kafka's names, defaults, groups and validation messages (DistributedConfig,
 * SourceConnectorConfig), and typed readers of both for the runtime.
 */

export const EXACTLY_ONCE_SOURCE_SUPPORT_CONFIG = "exactly.once.source.support";
export const EXACTLY_ONCE_SUPPORT_CONFIG = "exactly.once.support";
export const TRANSACTION_BOUNDARY_CONFIG = "transaction.boundary";
export const TRANSACTION_BOUNDARY_INTERVAL_CONFIG = "transaction.boundary.interval.ms";
export const OFFSETS_STORAGE_TOPIC_CONFIG = "offsets.storage.topic";

/** A distributed worker's `exactly.once.source.support`. */
export type ExactlyOnceSourceSupport = "disabled" | "preparing" | "enabled";
/** A source connector's `exactly.once.support`. */
export type ExactlyOnceSupportLevel = "requested" | "required";
/** A source connector's `transaction.boundary`. */
export type TransactionBoundary = "poll" | "interval" | "connector";

/**
 * Kafka's CaseInsensitiveValidString, whose message lists the values upper-cased in the order of the Java HashSet
 * that holds them: `listed` is that order, as Kafka 4.1.1 prints it. The value is trimmed first, as Kafka's parser
 * trims strings before validating them.
 */
function caseInsensitiveOneOf(values: readonly string[], listed: readonly string[]): Validator {
  const allowed = new Set(values.map((v) => v.toUpperCase()));
  const validator = (_name: string, value: unknown) => {
    if (typeof value === "string" && allowed.has(value.trim().toUpperCase())) return;
    throw new Error(`String must be one of (case insensitive): ${listed.join(", ")}`);
  };
  return Object.assign(validator, { description: `(case insensitive) [${listed.join(", ")}]` });
}

export const exactlyOnceSourceSupportValidator = caseInsensitiveOneOf(
  ["disabled", "preparing", "enabled"],
  ["DISABLED", "ENABLED", "PREPARING"],
);

/** Kafka's NonEmptyString on a trimmed value: a blank topic name is refused, an unset one means the worker's. */
const nonBlankTopic: Validator = Object.assign(
  (_name: string, value: unknown) => {
    if (typeof value === "string" && value.trim() === "") throw new Error("String must be non-empty");
  },
  { description: "non-empty string" },
);

/** Kafka's `Range.atLeast(0)` for a long that may also be unset (null). */
const nullOrAtLeastZero: Validator = Object.assign(
  (_name: string, value: unknown) => {
    if (typeof value === "number" && value < 0) throw new Error("Value must be at least 0");
  },
  { description: "[0,...]" },
);

/**
 * The source connector keys of exactly-once support, in Kafka's groups and orders: "Exactly Once Support" numbers
 * from 2 because Kafka's `topic.creation.groups` (not implemented here) takes 1 in the same count.
 */
export const exactlyOnceSourceConfigDef = new ConfigDef()
  .define({
    name: EXACTLY_ONCE_SUPPORT_CONFIG,
    type: "string",
    defaultValue: "requested",
    validator: caseInsensitiveOneOf(["requested", "required"], ["REQUIRED", "REQUESTED"]),
    importance: "medium",
    documentation:
      'Permitted values are requested, required. If set to "required", forces a preflight check for the ' +
      "connector to ensure that it can provide exactly-once semantics with the given configuration. Some " +
      "connectors may be capable of providing exactly-once semantics but not signal to Connect that they " +
      "support this; in that case, documentation for the connector should be consulted carefully before " +
      'creating it, and the value for this property should be set to "requested". Additionally, if the ' +
      'value is set to "required" but the worker that performs preflight validation does not have ' +
      "exactly-once support enabled for source connectors, requests to create or validate the connector " +
      "will fail.",
    group: "Exactly Once Support",
    orderInGroup: 2,
    width: "short",
    displayName: "Exactly once support",
  })
  .define({
    name: TRANSACTION_BOUNDARY_CONFIG,
    type: "string",
    defaultValue: "poll",
    validator: caseInsensitiveOneOf(["poll", "interval", "connector"], ["INTERVAL", "POLL", "CONNECTOR"]),
    importance: "medium",
    documentation:
      "Permitted values are: poll, interval, connector. If set to 'poll', a new producer transaction will " +
      "be started and committed for every batch of records that each task from this connector provides to " +
      "Connect. If set to 'connector', relies on connector-defined transaction boundaries; note that not " +
      "all connectors are capable of defining their own transaction boundaries, and in that case, attempts " +
      "to instantiate a connector with this value will fail. Finally, if set to 'interval', commits " +
      "transactions only after a user-defined time interval has passed.",
    group: "Exactly Once Support",
    orderInGroup: 3,
    width: "short",
    displayName: "Transaction Boundary",
  })
  .define({
    name: TRANSACTION_BOUNDARY_INTERVAL_CONFIG,
    type: "long",
    defaultValue: null,
    validator: nullOrAtLeastZero,
    importance: "low",
    documentation:
      "If 'transaction.boundary' is set to 'interval', determines the interval for producer transaction " +
      "commits by connector tasks. If unset, defaults to the value of the worker-level " +
      "'offset.flush.interval.ms' property. It has no effect if a different transaction.boundary is " +
      "specified.",
    group: "Exactly Once Support",
    orderInGroup: 4,
    width: "short",
    displayName: "Transaction boundary interval",
  })
  .define({
    name: OFFSETS_STORAGE_TOPIC_CONFIG,
    type: "string",
    defaultValue: null,
    validator: nonBlankTopic,
    importance: "low",
    documentation:
      "The name of a separate offsets topic to use for this connector. If empty or not specified, the " +
      "worker’s global offsets topic name will be used. If specified, the offsets topic will be created if " +
      "it does not already exist on the Kafka cluster targeted by this connector (which may be different " +
      "from the one used for the worker's global offsets topic if the bootstrap.servers property of the " +
      "connector's producer has been overridden from the worker's). Only applicable in distributed mode; " +
      "in standalone mode, setting this property will have no effect.",
    group: "offsets.topic",
    orderInGroup: 1,
    width: "long",
    displayName: "Offsets topic",
  });

/**
 * The worker's `exactly.once.source.support`, lower-cased; null when `workerConfig` was parsed without that key:
 * standalone mode, which has no exactly-once source support (as Kafka's StandaloneConfig), and a task thread's copy
 * parsed with the common worker keys only.
 */
export function exactlyOnceSourceSupport(workerConfig: AbstractConfig): ExactlyOnceSourceSupport | null {
  const value = workerConfig.values[EXACTLY_ONCE_SOURCE_SUPPORT_CONFIG];
  return typeof value === "string" ? (value.trim().toLowerCase() as ExactlyOnceSourceSupport) : null;
}

/** Whether source tasks run exactly once on this worker (Kafka's WorkerConfig.exactlyOnceSourceEnabled): `enabled`. */
export function exactlyOnceSourceEnabled(workerConfig: AbstractConfig): boolean {
  return exactlyOnceSourceSupport(workerConfig) === "enabled";
}

/**
 * Whether the leader writes the config topic with a transactional producer (Kafka's
 * DistributedConfig.transactionalLeaderEnabled): `preparing` and `enabled`, so that a cluster moved to `enabled`
 * one worker at a time never has a leader that cannot be fenced.
 */
export function transactionalLeaderEnabled(workerConfig: AbstractConfig): boolean {
  const support = exactlyOnceSourceSupport(workerConfig);
  return support === "preparing" || support === "enabled";
}

/** A source connector's exactly-once keys, read as its tasks use them. */
export interface SourceTransactionSettings {
  readonly exactlyOnceSupport: ExactlyOnceSupportLevel;
  readonly transactionBoundary: TransactionBoundary;
  /**
   * How often an `interval` boundary commits: `transaction.boundary.interval.ms`, else the worker's
   * `offset.flush.interval.ms` (Kafka's ExactlyOnceWorkerSourceTask; null when unset and no worker configuration was
   * given). Null for the other boundaries, which ignore it.
   */
  readonly transactionBoundaryIntervalMs: number | null;
  /** The connector's own offsets topic (trimmed), or null for the worker's; standalone mode ignores it. */
  readonly offsetsStorageTopic: string | null;
}

/**
 * Reads a connector configuration's exactly-once keys; a ConfigError names the first bad one. With the worker's
 * configuration, an unset interval is the worker's `offset.flush.interval.ms`.
 */
export function sourceTransactionSettings(
  connectorConfig: Readonly<Record<string, string>>,
  workerConfig?: AbstractConfig,
): SourceTransactionSettings {
  const values = exactlyOnceSourceConfigDef.parse(connectorConfig);
  const lower = (key: string) => String(values[key]).trim().toLowerCase();
  const transactionBoundary = lower(TRANSACTION_BOUNDARY_CONFIG) as TransactionBoundary;
  const interval = values[TRANSACTION_BOUNDARY_INTERVAL_CONFIG] as number | null;
  const topic = values[OFFSETS_STORAGE_TOPIC_CONFIG] as string | null;
  return {
    exactlyOnceSupport: lower(EXACTLY_ONCE_SUPPORT_CONFIG) as ExactlyOnceSupportLevel,
    transactionBoundary,
    transactionBoundaryIntervalMs:
      transactionBoundary === "interval"
        ? (interval ?? workerConfig?.getLong("offset.flush.interval.ms") ?? null)
        : null,
    offsetsStorageTopic: topic === null ? null : topic.trim(),
  };
}
