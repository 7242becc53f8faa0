import { type Schema, SchemaBuilder, Schemas, Struct } from "../../../src/index.ts";
import { KeyedRandom } from "../keyed-random.ts";
import { COUNTRIES, EMAIL_DOMAINS, ORDER_STATUSES, PEOPLE, STREETS } from "../word-pools.ts";
import { BASE_TIME_MS, type GeneratedRecord, type Shape } from "./shape.ts";

const ADDRESS_SCHEMA = SchemaBuilder.struct()
  .name("io.sluice.connect.datagen.Address")
  .field("street", Schemas.STRING)
  .field("city", Schemas.STRING)
  .field("zip", Schemas.STRING)
  .field("country", Schemas.STRING)
  .build();

const CUSTOMER_SCHEMA = SchemaBuilder.struct()
  .name("io.sluice.connect.datagen.Customer")
  .field("id", Schemas.INT64)
  .field("name", Schemas.STRING)
  .field("email", Schemas.STRING)
  .field("address", ADDRESS_SCHEMA)
  .build();

const ITEM_SCHEMA = SchemaBuilder.struct()
  .name("io.sluice.connect.datagen.OrderItem")
  .field("sku", Schemas.STRING)
  .field("qty", Schemas.INT32)
  .field("price", Schemas.FLOAT64)
  .build();

/** The orders' value schema; the Kafka Connect benchmark's sources build their Structs against it too. */
export const ORDER_SCHEMA: Schema = SchemaBuilder.struct()
  .name("io.sluice.connect.datagen.Order")
  .field("order_id", Schemas.STRING)
  .field("customer", CUSTOMER_SCHEMA)
  .field("items", SchemaBuilder.array(ITEM_SCHEMA).build())
  .field("total", Schemas.FLOAT64)
  .field("currency", Schemas.STRING)
  .field("created_at", Schemas.INT64)
  .field("status", Schemas.STRING)
  .build();

const CUSTOMERS = 100_000;
/** 60% of the orders have one item, 30% two, 10% three: about 300 bytes of JSON per order on average. */
const ITEM_COUNTS = [1, 1, 1, 1, 1, 1, 2, 2, 2, 3];
/** The task slot of the customer streams; tasks are numbered from 0, so this never collides with a task's stream. */
const CUSTOMER_STREAM = -1;

/**
 * A nested order of about 300 bytes as JSON: customer with address, one to three items, total, status. Customers
 * are drawn from 100,000 ids and each id always has the same name, e-mail and address (they come from a stream
 * keyed by the id), so the data joins and aggregates like real data. The key is the order id.
 */
export class OrdersShape implements Shape {
  readonly valueSchema = ORDER_SCHEMA;
  private readonly random = new KeyedRandom();
  private readonly customerRandom = new KeyedRandom();

  constructor(private readonly seed: number) {}

  generate(task: number, seq: number): GeneratedRecord {
    const random = this.random.reset(this.seed, task, seq);
    const orderId = `ORD-${task}-${seq}`;
    const customer = this.customer(random.between(1, CUSTOMERS));
    const itemCount = random.pick(ITEM_COUNTS);
    const items: Struct[] = new Array(itemCount);
    let totalCents = 0;
    for (let i = 0; i < itemCount; i++) {
      const skuNumber = random.between(10_000, 99_999);
      // The price belongs to the SKU, so the same SKU always costs the same.
      const priceCents = 99 + ((skuNumber * 7919) % 19_901);
      const qty = random.between(1, 5);
      totalCents += priceCents * qty;
      items[i] = new Struct(ITEM_SCHEMA)
        .put("sku", `SKU-${skuNumber}`)
        .put("qty", qty)
        .put("price", priceCents / 100);
    }
    const value = new Struct(ORDER_SCHEMA)
      .put("order_id", orderId)
      .put("customer", customer.struct)
      .put("items", items)
      .put("total", totalCents / 100)
      .put("currency", customer.currency)
      .put("created_at", BASE_TIME_MS + seq * 1000 + random.below(1000))
      .put("status", random.pick(ORDER_STATUSES));
    return { key: orderId, value };
  }

  private customer(id: number): { struct: Struct; currency: string } {
    const random = this.customerRandom.reset(this.seed, CUSTOMER_STREAM, id);
    const person = random.pick(PEOPLE);
    const country = random.pick(COUNTRIES);
    const city = random.pick(country.cities);
    const address = new Struct(ADDRESS_SCHEMA)
      .put("street", `${random.between(1, 299)} ${random.pick(STREETS)}`)
      .put("city", city.name)
      .put("zip", random.pick(city.zips))
      .put("country", country.code);
    const struct = new Struct(CUSTOMER_SCHEMA)
      .put("id", id)
      .put("name", `${person.first} ${person.last}`)
      .put("email", `${person.handle}${id}@${random.pick(EMAIL_DOMAINS)}`)
      .put("address", address);
    return { struct, currency: country.currency };
  }
}
