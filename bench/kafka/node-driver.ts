/**
 * The benchmark driver under Node.js: sluice's adapter over @confluentinc/kafka-javascript. Bundled for Node by
 * the benchmark (Bun.build, target node); the adapter requires kafka-javascript from its build folder at run time.
 */
import { createNodeKafkaClientFactory } from "../../src/kafka/node/factory.ts";
import { runDriver } from "./driver.ts";

await runDriver(createNodeKafkaClientFactory());
