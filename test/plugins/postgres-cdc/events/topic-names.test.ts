import { describe, expect, test } from "bun:test";
import {
  dataChangeTopic,
  heartbeatTopic,
  sanitizedTopicName,
} from "../../../../plugins/postgres-cdc/events/topic-names.ts";

describe("Debezium's topic names", () => {
  test("<prefix>.<schema>.<table> with the delimiter", () => {
    expect(dataChangeTopic("shop", ".", "public", "orders")).toBe("shop.public.orders");
    expect(dataChangeTopic("shop", "_", "public", "orders")).toBe("shop_public_orders");
    expect(heartbeatTopic("__debezium-heartbeat", ".", "shop")).toBe("__debezium-heartbeat.shop");
  });

  test("characters Kafka refuses become '_', one per UTF-16 unit as Java's charAt walks them", () => {
    expect(dataChangeTopic("shop", ".", "my schema", "Bestellung-ä")).toBe("shop.my_schema.Bestellung-_");
    expect(sanitizedTopicName("a😀b")).toBe("a__b");
    expect(sanitizedTopicName(".")).toBe("_");
    expect(sanitizedTopicName("..")).toBe("__");
    expect(sanitizedTopicName("x".repeat(300))).toHaveLength(249);
  });
});
