import { ConfigDef, oneOf, range, type Validator } from "../../src/index.ts";
import { SHAPE_NAMES } from "./shapes/shapes.ts";

export const TOPIC_CONFIG = "topic";
export const SHAPE_CONFIG = "shape";
export const COUNT_CONFIG = "count";
export const RATE_CONFIG = "rate";
export const SEED_CONFIG = "seed";
export const BATCH_SIZE_CONFIG = "batch.size";
/** Set by the connector in each task's configuration; not a user setting. */
export const TASK_ID_CONFIG = "task.id";

/** The source partition key (the task's number) and offset key (the last seq returned). */
export const TASK_FIELD = "datagen.task";
export const SEQ_FIELD = "seq";

const nonBlank: Validator = Object.assign(
  (_name: string, value: unknown) => {
    if (typeof value === "string" && value.trim().length === 0) throw new Error("String must be non-empty");
  },
  { description: "non-empty string" },
);

export const DATAGEN_CONFIG_DEF = new ConfigDef()
  .define({
    name: TOPIC_CONFIG,
    type: "string",
    validator: nonBlank,
    importance: "high",
    documentation: "The topic the generated records are written to.",
  })
  .define({
    name: SHAPE_CONFIG,
    type: "string",
    defaultValue: "orders",
    validator: oneOf(SHAPE_NAMES),
    importance: "high",
    documentation:
      "What to generate: `orders` (nested orders with customer, address and items), `flat` (a flat row of a " +
      "dozen mixed-type fields) or `sequence` (`{task, seq}`, for checking delivery).",
  })
  .define({
    name: COUNT_CONFIG,
    type: "long",
    defaultValue: 0,
    validator: range(0),
    importance: "medium",
    documentation:
      "Records each task generates in total, across restarts; 0 generates without end. A task that is done " +
      "stays running and idle.",
  })
  .define({
    name: RATE_CONFIG,
    type: "double",
    defaultValue: 0,
    validator: range(0),
    importance: "medium",
    documentation: "Records per second per task; 0 generates as fast as the worker takes them.",
  })
  .define({
    name: SEED_CONFIG,
    type: "long",
    defaultValue: 42,
    importance: "low",
    documentation: "Seed of the generator: the same seed, task and sequence number always give the same record.",
  })
  .define({
    name: BATCH_SIZE_CONFIG,
    type: "int",
    defaultValue: 1000,
    validator: range(1),
    importance: "low",
    documentation: "Most records a single poll of a task returns.",
  });

/** What a task parses: the connector's keys plus the task number the connector assigned. */
export const DATAGEN_TASK_CONFIG_DEF = DATAGEN_CONFIG_DEF.merge(
  new ConfigDef().define({
    name: TASK_ID_CONFIG,
    type: "int",
    defaultValue: 0,
    validator: range(0),
    importance: "low",
    documentation: "The task's number, 0 to tasks.max - 1; set by the connector for each task.",
    internal: true,
  }),
);
