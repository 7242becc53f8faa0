/** The FFI admin's describeTopicConfigs: a topic's configuration as the broker reports it, errors per topic. */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { NotFoundError } from "../../src/api/errors.ts";
import type { Admin } from "../../src/kafka/types.ts";
import { bootstrap, createTopics, factory, uniqueTopic } from "./ffi-helpers.ts";

let admin: Admin;
const compacted = uniqueTopic("ffi-configs-compact");
const plain = uniqueTopic("ffi-configs-plain");

beforeAll(async () => {
  admin = await factory.createAdmin(bootstrap);
  await createTopics(admin, [
    {
      topic: compacted,
      numPartitions: 1,
      replicationFactor: 1,
      config: { "cleanup.policy": "compact", "min.compaction.lag.ms": "1234" },
    },
    { topic: plain, numPartitions: 1, replicationFactor: 1 },
  ]);
});

afterAll(async () => {
  await admin.deleteTopics([compacted, plain]).catch(() => {});
  await admin.close();
});

describe("FFI admin describeTopicConfigs", () => {
  test("returns each topic's entries in the order asked, defaults included", async () => {
    const [a, b] = (await admin.describeTopicConfigs?.([plain, compacted])) ?? [];
    expect(a?.["cleanup.policy"]).toBe("delete");
    expect(b?.["cleanup.policy"]).toBe("compact");
    expect(b?.["min.compaction.lag.ms"]).toBe("1234");
    expect(a?.["min.compaction.lag.ms"]).toBe("0");
  });

  test("an unknown topic is a NotFoundError naming it", async () => {
    const missing = uniqueTopic("ffi-configs-missing");
    const error = await admin.describeTopicConfigs?.([missing]).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NotFoundError);
    expect((error as Error).message).toBe(`Topic "${missing}" does not exist`);
  });
});
