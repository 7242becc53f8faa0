import { ConfigDef, range, type Validator } from "../../src/index.ts";

export const FILE_CONFIG = "file";
export const TOPIC_CONFIG = "topic";
export const TASK_BATCH_SIZE_CONFIG = "batch.size";
export const DEFAULT_TASK_BATCH_SIZE = 2000;

/** The source partition key and offset key, as Kafka's task writes them, so stored offsets carry over. */
export const FILENAME_FIELD = "filename";
export const POSITION_FIELD = "position";

/**
 * One topic name, not blank. Kafka's key was once a list that had to hold exactly one topic; a comma can never be
 * part of a topic name, so it is refused here with the same meaning.
 */
const singleTopic: Validator = Object.assign(
  (_name: string, value: unknown) => {
    if (typeof value !== "string") return;
    if (value.trim().length === 0) throw new Error("String must be non-empty");
    if (value.includes(",")) throw new Error("The file source writes to exactly one topic; got a list");
  },
  { description: "a single, non-empty topic name" },
);

export const FILE_STREAM_SOURCE_CONFIG_DEF = new ConfigDef()
  .define({
    name: FILE_CONFIG,
    type: "string",
    defaultValue: null,
    importance: "high",
    documentation: "Source filename. If not specified, the standard input will be used",
  })
  .define({
    name: TOPIC_CONFIG,
    type: "string",
    validator: singleTopic,
    importance: "high",
    documentation: "The topic to publish data to",
  })
  .define({
    name: TASK_BATCH_SIZE_CONFIG,
    type: "int",
    defaultValue: DEFAULT_TASK_BATCH_SIZE,
    // Beyond Kafka, which has no validator here: a batch holds at least one line. A value that does not parse is
    // reported once, as Kafka reports it (no "Value must be non-null" after it).
    validator: Object.assign((name: string, value: unknown) => value === null || range(1)(name, value), {
      description: range(1).description,
    }),
    importance: "low",
    documentation: "The maximum number of records the source task can read from the file each time it is polled",
  });
