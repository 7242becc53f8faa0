/** The benchmark driver under Bun: sluice's librdkafka client through bun:ffi. */
import { createKafkaClientFactory } from "../../src/kafka/index.ts";
import { runDriver } from "./driver.ts";

await runDriver(await createKafkaClientFactory());
