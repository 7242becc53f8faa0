import { describe, expect, test } from "bun:test";
import { ConversionPending } from "../../../src/api/errors.ts";
import type { Headers } from "../../../src/api/headers.ts";
import type { Schema } from "../../../src/api/schema.ts";
import { StringConverter } from "../../../src/data/converters/string-converter.ts";
import { DryRun, type DryRunRecord } from "../../../src/runtime/pipeline/dry-run.ts";
import { PluginRegistry, RUNTIME_MANIFESTS } from "../../../src/runtime/plugins/plugin-registry.ts";

const chain = {
  "key.converter": "org.apache.kafka.connect.storage.StringConverter",
  "value.converter.schemas.enable": "false",
  "errors.tolerance": "all",
  transforms: "flat,cast,drop",
  "transforms.flat.type": "org.apache.kafka.connect.transforms.Flatten$Value",
  "transforms.cast.type": "org.apache.kafka.connect.transforms.Cast$Value",
  "transforms.cast.spec": "total:string,customer.id:int32",
  "transforms.drop.type": "org.apache.kafka.connect.transforms.ReplaceField$Value",
  "transforms.drop.exclude": "status",
};

const input = (offset: number, value: string | null): DryRunRecord => ({
  topic: "orders",
  partition: 0,
  offset,
  timestamp: 1,
  key: `k${offset}`,
  value,
  headers: { h: "1" },
});

describe("DryRun", async () => {
  const plugins = await PluginRegistry.load();

  test("a batch through the fast path gives what the general path gives, record by record", async () => {
    const dryRun = new DryRun(chain, plugins);
    expect(dryRun.usesFastPath).toBe(true);
    const inputs = [
      input(1, '{"customer":{"id":7,"name":"Ann"},"total":12.0,"status":"NEW","items":[1,2]}'),
      input(2, '{"customer":{"id":"x"},"total":1.5}'), // Cast fails: the error line comes from the general path
      input(3, null),
      input(4, '{"total":1e3,"customer":null,"status":"A"}'),
      input(5, "{not json"),
    ];
    const general = new DryRun(chain, plugins, { fastPath: false });
    expect(general.usesFastPath).toBe(false);
    expect(await dryRun.runBatch(inputs)).toEqual(await general.runBatch(inputs));
    expect(await dryRun.runBatch(inputs)).toEqual(await Promise.all(inputs.map((i) => general.run(i))));
    expect((await dryRun.runBatch(inputs))[0]).toEqual({
      record: { ...input(1, '{"customer.id":7,"customer.name":"Ann","total":"12.0","items":[1,2]}') },
    });
  });

  test("with schemas, envelopes take the fast path per schema, and give what the general path gives", async () => {
    const schemas = { ...chain, "value.converter.schemas.enable": "true" };
    const dryRun = new DryRun(schemas, plugins);
    expect(dryRun.usesFastPath).toBe(true);
    const schema =
      '{"type":"struct","fields":[{"type":"struct","fields":[{"type":"int64","optional":false,"field":"id"}],"optional":false,"field":"customer"},{"type":"double","optional":false,"field":"total"},{"type":"string","optional":true,"field":"status"}],"optional":false}';
    const inputs = [
      input(1, `{"schema":${schema},"payload":{"customer":{"id":7},"total":12.0,"status":"NEW"}}`),
      input(2, `{"schema":${schema},"payload":{"customer":{"id":8},"total":1.5,"status":null}}`),
      input(3, '{"schema":{"type":"string","optional":false},"payload":"x"}'),
    ];
    const general = new DryRun(schemas, plugins, { fastPath: false });
    expect(await dryRun.runBatch(inputs)).toEqual(await general.runBatch(inputs));
    expect(await dryRun.runBatch(inputs)).toEqual(await Promise.all(inputs.map((i) => general.run(i))));
  });

  test("without a fast path for the chain (a predicate), the batch runs the general path", async () => {
    const dryRun = new DryRun(
      {
        ...chain,
        "value.converter.schemas.enable": "true",
        predicates: "always",
        "predicates.always.type": "org.apache.kafka.connect.transforms.predicates.TopicNameMatches",
        "predicates.always.pattern": ".*",
        "transforms.flat.predicate": "always",
      },
      plugins,
    );
    expect(dryRun.usesFastPath).toBe(false);
    const inputs = [input(1, '{"schema":{"type":"string","optional":false},"payload":"x"}')];
    expect(await dryRun.runBatch(inputs)).toEqual(await Promise.all(inputs.map((i) => dryRun.run(i))));
  });
});

describe("DryRun with a converter that waits for an answer (ConversionPending)", () => {
  /** A StringConverter that must fetch something once per direction before it converts. */
  function waitingConverter(answer: Promise<void>) {
    const inner = new StringConverter();
    let fetchedRead = false;
    let fetchedWrite = false;
    return {
      configure: (configs: Record<string, string>, isKey: boolean) => inner.configure(configs, isKey),
      config: () => inner.config(),
      toConnectData(topic: string, headers: Headers, bytes: Uint8Array | null) {
        if (!fetchedRead)
          throw new ConversionPending(
            answer.then(() => {
              fetchedRead = true;
            }),
            "a read answer",
          );
        return inner.toConnectData(topic, headers, bytes);
      },
      fromConnectData(topic: string, headers: Headers, schema: Schema | null, value: unknown) {
        if (!fetchedWrite)
          throw new ConversionPending(
            answer.then(() => {
              fetchedWrite = true;
            }),
            "a write answer",
          );
        return inner.fromConnectData(topic, headers, schema, value);
      },
    };
  }

  const run = (answer: Promise<void>) => {
    const plugins = new PluginRegistry([
      ...RUNTIME_MANIFESTS,
      {
        type: "converter",
        className: "test.Waiting",
        aliases: [],
        version: "1",
        create: () => waitingConverter(answer),
      },
    ]);
    return new DryRun({ "value.converter": "test.Waiting", "errors.tolerance": "all" }, plugins).runBatch([
      input(1, "a"),
      input(2, "b"),
    ]);
  };

  test("reading and writing wait for the answer, then convert", async () => {
    const results = await run(Promise.resolve());
    expect(results.map((r) => ("record" in r ? r.record.value : r))).toEqual(["a", "b"]);
  });

  test("an answer that cannot be had is the record's failure, naming it", async () => {
    const results = await run(Promise.reject(new Error("registry unreachable")));
    expect(results.map((r) => ("failure" in r ? r.failure.error : r))).toEqual([
      "VALUE_CONVERTER failed for topic orders partition 0 offset 1: registry unreachable",
      "VALUE_CONVERTER failed for topic orders partition 0 offset 2: registry unreachable",
    ]);
  });
});
