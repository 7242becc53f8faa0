import { SchemaBuilder, Schemas, Struct } from "../../../src/index.ts";
import type { GeneratedRecord, Shape } from "./shape.ts";

const SEQUENCE_SCHEMA = SchemaBuilder.struct()
  .name("io.sluice.connect.datagen.Sequence")
  .field("task", Schemas.INT32)
  .field("seq", Schemas.INT64)
  .build();

/** `{task, seq}` and nothing else, for checking delivery: per task, seq counts up from 0 with no gaps. */
export class SequenceShape implements Shape {
  readonly valueSchema = SEQUENCE_SCHEMA;

  generate(task: number, seq: number): GeneratedRecord {
    return { key: `${task}-${seq}`, value: new Struct(SEQUENCE_SCHEMA).put("task", task).put("seq", seq) };
  }
}
