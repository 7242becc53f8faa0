import { describe, expect, test } from "bun:test";
import { ConfigError } from "../../../../../src/api/errors.ts";
import {
  parseProtobufDataConfig,
  protobufDataConfigDef,
} from "../../../../../src/data/converters/schema-registry/protobuf/protobuf-data-config.ts";

describe("ProtobufDataConfig", () => {
  test("has Confluent's keys and defaults", () => {
    const defaults = Object.fromEntries(
      [...protobufDataConfigDef.configKeys().values()].map((key) => [key.name, key.defaultValue]),
    );
    expect(defaults).toEqual({
      "generalized.sum.type.support": false,
      "ignore.default.for.nullables": false,
      "schemas.cache.config": 1000,
      "enhanced.protobuf.schema.support": false,
      "scrub.invalid.names": false,
      "int.for.enums": false,
      "optional.for.nullables": false,
      "optional.for.proto2": true,
      "wrapper.for.nullables": false,
      "wrapper.for.raw.primitives": true,
      "generate.struct.for.nulls": false,
      "generate.index.for.unions": true,
      "flatten.unions": false,
    });
  });

  test("parses booleans and keeps the cache size at least 1", () => {
    const settings = parseProtobufDataConfig({ "int.for.enums": "true", "schemas.cache.config": "0" });
    expect(settings.intForEnums).toBe(true);
    expect(settings.schemaCacheSize).toBe(1);
  });

  test("a bad value names its key", () => {
    expect(() => parseProtobufDataConfig({ "flatten.unions": "maybe" })).toThrow(ConfigError);
  });
});
