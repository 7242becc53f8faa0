import { ConfigDef, nonEmptyString, range } from "../../src/index.ts";

/** Kafka's keys (VerifiableSourceTask / VerifiableSinkTask), plus `output.dir`, sluice's own. */
export const TOPIC_CONFIG = "topic";
export const THROUGHPUT_CONFIG = "throughput";
export const OUTPUT_DIR_CONFIG = "output.dir";
/** Set by each connector in its task configurations (0 to tasks.max - 1), as Kafka's; not a user setting. */
export const ID_CONFIG = "id";

/** The source partition `{"id": <task>}` and offset `{"seqno": <last seqno returned>}`, as Kafka's. */
export const ID_FIELD = "id";
export const SEQNO_FIELD = "seqno";

const taskId = new ConfigDef().define({
  name: ID_CONFIG,
  type: "int",
  defaultValue: 0,
  validator: range(0),
  importance: "low",
  documentation: "The task's number; set by the connector for each task.",
  internal: true,
});

export const VERIFIABLE_SOURCE_CONFIG_DEF = new ConfigDef()
  .define({
    name: TOPIC_CONFIG,
    type: "string",
    validator: nonEmptyString,
    importance: "high",
    documentation: "The topic every task writes its sequence to.",
  })
  .define({
    name: THROUGHPUT_CONFIG,
    type: "long",
    importance: "high",
    documentation:
      "Records per second per task. Negative: as fast as the worker takes them; 0: none at all (as Kafka's " +
      "ThroughputThrottler).",
  });

export const VERIFIABLE_SINK_CONFIG_DEF = new ConfigDef().define({
  name: OUTPUT_DIR_CONFIG,
  type: "string",
  defaultValue: null,
  importance: "high",
  documentation:
    "Folder where each task instance appends its lines to a file of its own (`<name>-<id>-<pid>-<start>.jsonl`), " +
    "so that a checker can read them after the worker is gone. Unset: the worker's standard output, as Kafka's.",
});

export const VERIFIABLE_SOURCE_TASK_CONFIG_DEF = VERIFIABLE_SOURCE_CONFIG_DEF.merge(taskId);
export const VERIFIABLE_SINK_TASK_CONFIG_DEF = VERIFIABLE_SINK_CONFIG_DEF.merge(taskId);
