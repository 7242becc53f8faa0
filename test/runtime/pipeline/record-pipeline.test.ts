import { describe, expect, test } from "bun:test";
import { AbstractConfig } from "../../../src/api/config-def.ts";
import type { SinkRecord } from "../../../src/api/record.ts";
import type { KafkaMessage } from "../../../src/kafka/types.ts";
import { workerConfigDef } from "../../../src/runtime/config/worker-config.ts";
import { createConverters } from "../../../src/runtime/pipeline/connector-converters.ts";
import { RecordConversionError } from "../../../src/runtime/pipeline/record-conversion.ts";
import { PipelineFailure, RecordPipeline } from "../../../src/runtime/pipeline/record-pipeline.ts";
import { TransformationError } from "../../../src/runtime/pipeline/transformation-chain.ts";
import { PluginRegistry } from "../../../src/runtime/plugins/plugin-registry.ts";

const plugins = await PluginRegistry.load();
const worker = new AbstractConfig(workerConfigDef, {
  "key.converter": "org.apache.kafka.connect.storage.StringConverter",
  "value.converter": "org.apache.kafka.connect.json.JsonConverter",
  "value.converter.schemas.enable": "false",
});
const config = {
  transforms: "flat,cast",
  "transforms.flat.type": "org.apache.kafka.connect.transforms.Flatten$Value",
  "transforms.cast.type": "org.apache.kafka.connect.transforms.Cast$Value",
  "transforms.cast.spec": "a.b:int32",
};

function pipeline(fastPath: boolean): RecordPipeline {
  return RecordPipeline.create(config, createConverters(plugins, worker, config), plugins, { fastPath });
}

const encoder = new TextEncoder();
const message = (offset: number, value: string | null): KafkaMessage => ({
  topic: "t",
  partition: 1,
  offset,
  key: encoder.encode(`k${offset}`),
  value: value === null ? null : encoder.encode(value),
  timestamp: 5,
  timestampType: "CreateTime",
  headers: [["h", encoder.encode("v")]],
});

const batch = [
  message(0, '{"a":{"b":"12"},"c":[1,{"d":2.0}]}'),
  message(1, '{"a":{"b":"twelve"}}'),
  message(2, null),
  message(3, "{oops"),
  message(4, '{"a":{"b":7},"z":"\\u00e9"}'),
];

describe("RecordPipeline", () => {
  test("the sink fast path gives the general path's records, with the value as JSON, parsed only when read", () => {
    const fast = pipeline(true);
    const general = pipeline(false);
    expect(fast.usesFastPath).toBe(true);
    expect(general.usesFastPath).toBe(false);
    const fromFast = fast.toSinkRecords(batch);
    const fromGeneral = general.toSinkRecords(batch);
    const first = fromFast[0] as SinkRecord;
    expect(new TextDecoder().decode(first.valueJson)).toBe('{"a.b":12,"c":[1,{"d":2.0}]}');
    // Records compare equal field by field (reading `value` parses the JSON), failures fail alike.
    for (let i = 0; i < batch.length; i++) {
      const a = fromFast[i];
      const b = fromGeneral[i];
      if (a instanceof PipelineFailure || b instanceof PipelineFailure) {
        expect(a).toBeInstanceOf(PipelineFailure);
        expect((a as PipelineFailure).error).toEqual((b as PipelineFailure).error);
        continue;
      }
      const { valueJson: _, ...rest } = a as SinkRecord;
      expect(rest).toEqual(b as SinkRecord);
    }
    expect((fromFast[1] as PipelineFailure).error).toBeInstanceOf(TransformationError);
    expect((fromFast[3] as PipelineFailure).error).toBeInstanceOf(RecordConversionError);
  });

  test("encode writes a fast-path record's JSON as it is, without parsing its value", () => {
    const fast = pipeline(true);
    const record = fast.toSinkRecords([batch[4] as KafkaMessage])[0] as SinkRecord;
    const untouched: SinkRecord = {
      topic: record.topic,
      kafkaPartition: record.kafkaPartition,
      kafkaOffset: record.kafkaOffset,
      keySchema: record.keySchema,
      key: record.key,
      valueSchema: null,
      timestamp: record.timestamp,
      timestampType: record.timestampType,
      headers: record.headers,
      valueJson: record.valueJson,
      get value(): unknown {
        throw new Error("encode read the value");
      },
    };
    const out = fast.encode(untouched, () => "test");
    expect(out.value).toBe(record.valueJson as Uint8Array);
    expect(new TextDecoder().decode(out.key as Uint8Array)).toBe("k4");
    expect(out.headers?.map(([k]) => k)).toEqual(["h"]);
  });
});
