import { ConfigDef, oneOf } from "../../api/config-def.ts";
import { ConfigError } from "../../api/errors.ts";

/**
 * Kafka Connect's error-handling keys (ConnectorConfig's `errors.*`, SinkConnectorConfig's
 * `errors.deadletterqueue.*`), with Kafka's types, defaults and validators. Kafka defines the dead-letter-queue keys
 * for sink connectors only; sluice defines them for every connector, because its dead-letter queue also takes the
 * records a source connector's converters and transforms fail on.
 */

export type ToleranceType = "none" | "all";

export interface ErrorHandlingConfig {
  /** Milliseconds a failed retriable operation is retried for: 0 never retries, a negative value retries forever. */
  readonly retryTimeoutMs: number;
  /** The longest pause between two attempts. */
  readonly retryDelayMaxMs: number;
  readonly tolerance: ToleranceType;
  readonly logEnable: boolean;
  readonly logIncludeMessages: boolean;
  /** Trimmed; "" means no dead-letter queue. */
  readonly dlqTopicName: string;
  /** -1 lets the broker choose (its `default.replication.factor`). */
  readonly dlqTopicReplicationFactor: number;
  readonly dlqContextHeadersEnable: boolean;
}

const GROUP = "Error Handling";

/** ConnectorConfig's `errors.*` keys, which every connector has. */
export const errorToleranceConfigDef = new ConfigDef()
  .define({
    name: "errors.retry.timeout",
    type: "long",
    defaultValue: 0,
    importance: "medium",
    documentation:
      "The maximum duration in milliseconds that a failed operation will be reattempted. The default is 0, which " +
      "means no retries will be attempted. Use -1 for infinite retries.",
    group: GROUP,
    orderInGroup: 1,
    width: "medium",
    displayName: "Retry Timeout for Errors",
  })
  .define({
    name: "errors.retry.delay.max.ms",
    type: "long",
    defaultValue: 60000,
    importance: "medium",
    documentation:
      "The maximum duration in milliseconds between consecutive retry attempts. Jitter will be added to the delay " +
      "once this limit is reached to prevent thundering herd issues.",
    group: GROUP,
    orderInGroup: 2,
    width: "medium",
    displayName: "Maximum Delay Between Retries for Errors",
  })
  .define({
    name: "errors.tolerance",
    type: "string",
    defaultValue: "none",
    validator: oneOf(["none", "all"]),
    importance: "medium",
    documentation:
      "Behavior for tolerating errors during connector operation. 'none' is the default value and signals that any " +
      "error will result in an immediate connector task failure; 'all' changes the behavior to skip over " +
      "problematic records.",
    group: GROUP,
    orderInGroup: 3,
    width: "short",
    displayName: "Error Tolerance",
  })
  .define({
    name: "errors.log.enable",
    type: "boolean",
    defaultValue: false,
    importance: "medium",
    documentation:
      "If true, write each error and the details of the failed operation and problematic record to the Connect " +
      "application log. This is 'false' by default, so that only errors that are not tolerated are reported.",
    group: GROUP,
    orderInGroup: 4,
    width: "short",
    displayName: "Log Errors",
  })
  .define({
    name: "errors.log.include.messages",
    type: "boolean",
    defaultValue: false,
    importance: "medium",
    documentation:
      "Whether to include in the log the Connect record that resulted in a failure. For sink records, the topic, " +
      "partition, offset, and timestamp will be logged. For source records, the key and value (and their schemas), " +
      "all headers, and the timestamp, Kafka topic, Kafka partition, source partition, and source offset will be " +
      "logged. This is 'false' by default, which will prevent record keys, values, and headers from being written " +
      "to log files.",
    group: GROUP,
    orderInGroup: 5,
    width: "short",
    displayName: "Log Error Details",
  });

/**
 * SinkConnectorConfig's `errors.deadletterqueue.*` keys: Kafka defines them after the sink's `topics` and
 * `topics.regex`, and so does sluice's sink definition; sluice's source connectors have them too.
 */
export const deadLetterQueueConfigDef = new ConfigDef()
  .define({
    name: "errors.deadletterqueue.topic.name",
    type: "string",
    defaultValue: "",
    importance: "medium",
    documentation:
      "The name of the topic to be used as the dead letter queue (DLQ) for messages that result in an error when " +
      "processed by this connector, or its transformations or converters. The topic name is blank by default, " +
      "which means that no messages are to be recorded in the DLQ. sluice also accepts it for source connectors.",
    group: GROUP,
    orderInGroup: 6,
    width: "medium",
    displayName: "Dead Letter Queue Topic Name",
  })
  .define({
    name: "errors.deadletterqueue.topic.replication.factor",
    type: "short",
    defaultValue: 3,
    importance: "medium",
    documentation: "Replication factor used to create the dead letter queue topic when it doesn't already exist.",
    group: GROUP,
    orderInGroup: 7,
    width: "medium",
    displayName: "Dead Letter Queue Topic Replication Factor",
  })
  .define({
    name: "errors.deadletterqueue.context.headers.enable",
    type: "boolean",
    defaultValue: false,
    importance: "medium",
    documentation:
      "If true, add headers containing error context to the messages written to the dead letter queue. To " +
      "avoid clashing with headers from the original record, all error context header keys, all error " +
      "context header keys will start with <code>__connect.errors.</code>",
    group: GROUP,
    orderInGroup: 8,
    width: "medium",
    displayName: "Enable Error Context Headers",
  });

export const errorHandlingConfigDef = errorToleranceConfigDef.merge(deadLetterQueueConfigDef);

/** Parses the error-handling keys of a connector configuration; throws a ConfigError naming the first bad key. */
export function parseErrorHandlingConfig(props: Readonly<Record<string, string>>): ErrorHandlingConfig {
  const values = errorHandlingConfigDef.parse(props);
  return {
    retryTimeoutMs: values["errors.retry.timeout"] as number,
    retryDelayMaxMs: values["errors.retry.delay.max.ms"] as number,
    tolerance: values["errors.tolerance"] as ToleranceType,
    logEnable: values["errors.log.enable"] as boolean,
    logIncludeMessages: values["errors.log.include.messages"] as boolean,
    dlqTopicName: (values["errors.deadletterqueue.topic.name"] as string).trim(),
    dlqTopicReplicationFactor: values["errors.deadletterqueue.topic.replication.factor"] as number,
    dlqContextHeadersEnable: values["errors.deadletterqueue.context.headers.enable"] as boolean,
  };
}

/**
 * Kafka's SinkConnectorConfig check that a sink connector does not consume its own dead-letter queue (which would
 * feed every failing record back to itself). As in Kafka, the error names the key that selects the topics
 * (`topics` or `topics.regex`), and a regex must match the whole topic name.
 */
export function dlqTopicConsumedError(props: Readonly<Record<string, string>>): ConfigError | null {
  const dlqTopic = (props["errors.deadletterqueue.topic.name"] ?? "").trim();
  if (dlqTopic === "") return null;
  const topicsList = (props.topics ?? "").trim();
  if (topicsList !== "") {
    const topics = [...new Set(topicsList.split(/\s*,\s*/).filter((t) => t !== ""))];
    if (topics.includes(dlqTopic)) {
      return new ConfigError(
        `The DLQ topic '${dlqTopic}' may not be included in the list of topics ('topics=[${topics.join(", ")}]') consumed by the connector`,
        { key: "topics" },
      );
    }
  }
  const regex = (props["topics.regex"] ?? "").trim();
  if (regex !== "") {
    let matches: boolean;
    try {
      matches = new RegExp(`^(?:${regex})$`).test(dlqTopic);
    } catch {
      // An invalid regex is reported by the topics.regex validation itself.
      return null;
    }
    if (matches) {
      return new ConfigError(
        `The DLQ topic '${dlqTopic}' may not be matched by the regex for the topics ('topics.regex=${regex}') consumed by the connector`,
        { key: "topics.regex" },
      );
    }
  }
  return null;
}
