import { describe, expect, test } from "bun:test";
import { AbstractConfig, ConfigDef } from "../../../../src/api/config-def.ts";
import { ConfigError } from "../../../../src/api/errors.ts";
import {
  defineFieldSyntaxVersion,
  defineReplaceNullWithDefault,
  fieldSyntaxVersionFrom,
} from "../../../../src/data/transforms/util/config-keys.ts";

/** Kafka's FieldSyntaxVersionTest, and the shared replace.null.with.default key. */

describe("field.syntax.version (Kafka's FieldSyntaxVersionTest)", () => {
  test("is added to a ConfigDef with default V1", () => {
    const def = defineFieldSyntaxVersion(new ConfigDef());
    expect(def.names()).toEqual(["field.syntax.version"]);
    expect(def.configKeys().get("field.syntax.version")?.defaultValue).toBe("V1");
  });

  test("cannot be added twice", () => {
    const def = defineFieldSyntaxVersion(new ConfigDef());
    expect(() => defineFieldSyntaxVersion(def)).toThrow(
      new ConfigError("Configuration field.syntax.version is defined twice."),
    );
  });

  test.each([
    ["v1", "V1"],
    ["v2", "V2"],
    ["V1", "V1"],
    ["V2", "V2"],
  ])("%s reads as %s", (input, version) => {
    const config = new AbstractConfig(defineFieldSyntaxVersion(new ConfigDef()), { "field.syntax.version": input });
    expect(fieldSyntaxVersionFrom(config)).toBe(version as "V1" | "V2");
  });

  test.each(["v3", "V 1", "v", "V 2", "2", "1"])("%p is refused", (input) => {
    expect(
      () => new AbstractConfig(defineFieldSyntaxVersion(new ConfigDef()), { "field.syntax.version": input }),
    ).toThrow(
      new ConfigError(
        `Invalid value ${input} for configuration field.syntax.version: String must be one of (case insensitive): V1, V2`,
      ),
    );
  });
});

describe("replace.null.with.default", () => {
  test("is a boolean defaulting to true", () => {
    const def = defineReplaceNullWithDefault(new ConfigDef());
    expect(new AbstractConfig(def, {}).getBoolean("replace.null.with.default")).toBe(true);
    expect(
      new AbstractConfig(def, { "replace.null.with.default": "false" }).getBoolean("replace.null.with.default"),
    ).toBe(false);
    expect(() => new AbstractConfig(def, { "replace.null.with.default": "no" })).toThrow(ConfigError);
  });
});
