import { SchemaBuilder, Schemas, Struct } from "../../../src/index.ts";
import { KeyedRandom } from "../keyed-random.ts";
import { CATEGORIES, COUNTRIES, PEOPLE } from "../word-pools.ts";
import { BASE_TIME_MS, type GeneratedRecord, type Shape } from "./shape.ts";

const ROW_SCHEMA = SchemaBuilder.struct()
  .name("io.sluice.connect.datagen.Row")
  .field("row_id", Schemas.STRING)
  .field("task", Schemas.INT32)
  .field("seq", Schemas.INT64)
  .field("user_name", Schemas.STRING)
  .field("age", Schemas.INT32)
  .field("score", Schemas.FLOAT64)
  .field("active", Schemas.BOOLEAN)
  .field("country", Schemas.STRING)
  .field("category", Schemas.STRING)
  .field("quantity", Schemas.INT32)
  .field("amount", Schemas.FLOAT64)
  .field("created_at", Schemas.INT64)
  .build();

/** A flat row of a dozen fields of mixed types, like a table row; the key is the row id. */
export class FlatShape implements Shape {
  readonly valueSchema = ROW_SCHEMA;
  private readonly random = new KeyedRandom();

  constructor(private readonly seed: number) {}

  generate(task: number, seq: number): GeneratedRecord {
    const random = this.random.reset(this.seed, task, seq);
    const rowId = `row-${task}-${seq}`;
    const person = random.pick(PEOPLE);
    const value = new Struct(ROW_SCHEMA)
      .put("row_id", rowId)
      .put("task", task)
      .put("seq", seq)
      .put("user_name", `${person.first} ${person.last}`)
      .put("age", random.between(18, 90))
      .put("score", random.below(10_001) / 100)
      .put("active", random.below(4) !== 0)
      .put("country", random.pick(COUNTRIES).code)
      .put("category", random.pick(CATEGORIES))
      .put("quantity", random.between(1, 20))
      .put("amount", random.between(100, 500_000) / 100)
      .put("created_at", BASE_TIME_MS + seq * 1000 + random.below(1000));
    return { key: rowId, value };
  }
}
