/**
 * The exactly-once source keys through the REST API, as Apache Kafka Connect 4.1.1 answers (its answers were read
 * off a ConnectStandalone and a ConnectDistributed worker given the same requests): listed for source connectors in
 * `GET /connector-plugins/{p}/config` and `/config/validate`, checked against the connector and the worker only by a
 * distributed worker, refused on create with Kafka's message. A standalone worker (rest-worker.ts) and a distributed
 * one on the local broker, in this process.
 */
import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import { checkKafkaReachable } from "../../src/commands/worker/check-kafka.ts";
import {
  type RunningDistributedWorker,
  startDistributedWorker,
} from "../../src/commands/worker/start-distributed-worker.ts";
import { createKafkaClientFactory } from "../../src/kafka/index.ts";
import type { ConfigInfos, ConfigKeyInfo } from "../../src/runtime/herders/config-infos.ts";
import { BOOTSTRAP, uniqueTopic } from "../harness.ts";
import { distributedWorkerProperties, freePort } from "../worker-harness.ts";
import { type RestWorker, startRestWorker } from "./rest-worker.ts";

setDefaultTimeout(120_000);

const KEYS = [
  "exactly.once.support",
  "transaction.boundary",
  "transaction.boundary.interval.ms",
  "offsets.storage.topic",
];
const NOT_ENABLED = "This worker does not have exactly-once source support enabled.";
const UNSUPPORTED = "The connector does not support exactly-once semantics with the provided configuration.";
const NO_BOUNDARIES =
  "The connector does not support connector-defined transaction boundaries with the given configuration. Please " +
  "reconfigure it to use a different transaction boundary definition.";
const SEE_VALIDATE =
  "You can also find the above list of errors at the endpoint `/connector-plugins/{connectorType}/config/validate`";

/** Reads from stdin (no `file`), which FileStreamSource says it cannot deliver exactly once. */
const stdinSource = { "connector.class": "FileStreamSource", topic: "t" };

type Call = (method: string, path: string, body?: unknown) => Promise<{ status: number; body: unknown }>;

function caller(base: string): Call {
  return async (method, path, body) => {
    const response = await fetch(`${base}${path}`, {
      method,
      headers: body === undefined ? {} : { "content-type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    return { status: response.status, body: text === "" ? null : JSON.parse(text) };
  };
}

async function validate(call: Call, config: Record<string, string>): Promise<ConfigInfos> {
  const { status, body } = await call("PUT", "/connector-plugins/FileStreamSourceConnector/config/validate", {
    name: "v",
    ...config,
  });
  expect(status).toBe(200);
  return body as ConfigInfos;
}

const valueNamed = (infos: ConfigInfos, name: string) => infos.configs.find((c) => c.value?.name === name)?.value;

describe("a standalone worker", () => {
  let worker: RestWorker;
  let call: Call;

  beforeAll(async () => {
    // Kafka's standalone worker has no such key and ignores it; so does sluice's.
    worker = await startRestWorker({ "exactly.once.source.support": "enabled" });
    call = caller(worker.base);
  });
  afterAll(() => worker.stop());

  test("GET /connector-plugins/{p}/config lists the keys of a source connector as Kafka 4.1 does", async () => {
    const { status, body } = await call("GET", "/connector-plugins/FileStreamSourceConnector/config");
    expect(status).toBe(200);
    const listed = (body as ConfigKeyInfo[]).filter((k) => KEYS.includes(k.name));
    expect(listed.map(({ documentation: _, ...rest }) => rest)).toEqual([
      {
        name: "exactly.once.support",
        type: "STRING",
        required: false,
        default_value: "requested",
        importance: "MEDIUM",
        group: "Exactly Once Support",
        width: "SHORT",
        display_name: "Exactly once support",
        dependents: [],
        order: 2,
      },
      {
        name: "transaction.boundary",
        type: "STRING",
        required: false,
        default_value: "poll",
        importance: "MEDIUM",
        group: "Exactly Once Support",
        width: "SHORT",
        display_name: "Transaction Boundary",
        dependents: [],
        order: 3,
      },
      {
        name: "transaction.boundary.interval.ms",
        type: "LONG",
        required: false,
        default_value: null,
        importance: "LOW",
        group: "Exactly Once Support",
        width: "SHORT",
        display_name: "Transaction boundary interval",
        dependents: [],
        order: 4,
      },
      {
        name: "offsets.storage.topic",
        type: "STRING",
        required: false,
        default_value: null,
        importance: "LOW",
        group: "offsets.topic",
        width: "LONG",
        display_name: "Offsets topic",
        dependents: [],
        order: 1,
      },
    ]);
    const sink = (await call("GET", "/connector-plugins/FileStreamSinkConnector/config")).body as ConfigKeyInfo[];
    expect(sink.filter((k) => KEYS.includes(k.name))).toEqual([]);
  });

  test("validate: the groups in Kafka's order and the keys' values", async () => {
    const infos = await validate(call, stdinSource);
    // Kafka 4.1 has "Topic Creation" between "Error Handling" and "Exactly Once Support" (not implemented here).
    expect(infos.groups).toEqual([
      "Common",
      "Transforms",
      "Predicates",
      "Error Handling",
      "Exactly Once Support",
      "offsets.topic",
    ]);
    expect(KEYS.map((k) => valueNamed(infos, k))).toEqual([
      { name: "exactly.once.support", value: "requested", recommended_values: [], errors: [], visible: true },
      { name: "transaction.boundary", value: "poll", recommended_values: [], errors: [], visible: true },
      { name: "transaction.boundary.interval.ms", value: null, recommended_values: [], errors: [], visible: true },
      { name: "offsets.storage.topic", value: null, recommended_values: [], errors: [], visible: true },
    ]);
  });

  test("validate: required and connector boundaries are not checked, as Kafka's standalone herder", async () => {
    const infos = await validate(call, {
      ...stdinSource,
      "exactly.once.support": "required",
      "transaction.boundary": "connector",
    });
    expect(infos.error_count).toBe(0);
  });

  test("bad values are errors on their keys, and a create is refused with them", async () => {
    const bad = {
      ...stdinSource,
      "exactly.once.support": "maybe",
      "transaction.boundary": "never",
      "transaction.boundary.interval.ms": "-1",
      "offsets.storage.topic": "",
    };
    const infos = await validate(call, bad);
    const messages = [
      "Invalid value maybe for configuration exactly.once.support: String must be one of (case insensitive): REQUIRED, REQUESTED",
      "Invalid value never for configuration transaction.boundary: String must be one of (case insensitive): INTERVAL, POLL, CONNECTOR",
      "Invalid value -1 for configuration transaction.boundary.interval.ms: Value must be at least 0",
      "Invalid value  for configuration offsets.storage.topic: String must be non-empty",
    ];
    expect(KEYS.map((k) => valueNamed(infos, k)?.errors)).toEqual(messages.map((m) => [m]));
    expect(infos.error_count).toBe(4);
    const created = await call("POST", "/connectors", { name: "eos-bad", config: bad });
    expect(created).toEqual({
      status: 400,
      body: {
        error_code: 400,
        message: `Connector configuration is invalid and contains the following 4 error(s):\n${messages.join("\n")}\n${SEE_VALIDATE}`,
      },
    });
  });
});

describe("a distributed worker with exactly.once.source.support=preparing", () => {
  let worker: RunningDistributedWorker;
  let call: Call;

  beforeAll(async () => {
    const group = uniqueTopic("eos-validate");
    const kafka = await createKafkaClientFactory();
    worker = await startDistributedWorker({
      worker: {
        source: "test",
        props: distributedWorkerProperties(BOOTSTRAP, group, freePort(), {
          "offset.storage.partitions": "1",
          "status.storage.partitions": "1",
          "exactly.once.source.support": "preparing",
        }),
      },
      kafka,
      version: "9.9.9",
      checkKafka: (bootstrap) => checkKafkaReachable(kafka, bootstrap),
    });
    call = caller(worker.url);
  });
  afterAll(() => worker.stop());

  test("validate: required needs exactly-once enabled on the worker and a connector that supports it", async () => {
    const infos = await validate(call, {
      ...stdinSource,
      "exactly.once.support": "required",
      "transaction.boundary": "connector",
    });
    expect(valueNamed(infos, "exactly.once.support")?.errors).toEqual([NOT_ENABLED, UNSUPPORTED]);
    expect(valueNamed(infos, "transaction.boundary")?.errors).toEqual([NO_BOUNDARIES]);
    expect(infos.error_count).toBe(3);
    // A file can be read exactly once: only the worker's setting is in the way.
    const file = await validate(call, { ...stdinSource, file: "/tmp/in.txt", "exactly.once.support": "Required" });
    expect(valueNamed(file, "exactly.once.support")?.errors).toEqual([NOT_ENABLED]);
  });

  test("create and update are refused with Kafka's message; requested and an interval boundary are accepted", async () => {
    const refused = await call("POST", "/connectors", {
      name: "eos-refused",
      config: { ...stdinSource, "exactly.once.support": "required", "transaction.boundary": "connector" },
    });
    expect(refused).toEqual({
      status: 400,
      body: {
        error_code: 400,
        message:
          "Connector configuration is invalid and contains the following 3 error(s):\n" +
          `${NOT_ENABLED}\n${UNSUPPORTED}\n${NO_BOUNDARIES}\n${SEE_VALIDATE}`,
      },
    });
    const updated = await call("PUT", "/connectors/eos-file/config", {
      ...stdinSource,
      file: "/tmp/in.txt",
      "exactly.once.support": "required",
    });
    expect(updated).toEqual({
      status: 400,
      body: {
        error_code: 400,
        message: `Connector configuration is invalid and contains the following 1 error(s):\n${NOT_ENABLED}\n${SEE_VALIDATE}`,
      },
    });
    const interval = { "transaction.boundary": "interval", "transaction.boundary.interval.ms": "100" };
    const accepted = await validate(call, { ...stdinSource, ...interval, "offsets.storage.topic": "own-offsets" });
    expect(accepted.error_count).toBe(0);
  });
});
