import { afterAll, describe, expect, test } from "bun:test";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ConfigError } from "../../../src/api/errors.ts";
import { loadConnectorConfigFile, parseConnectorConfig } from "../../../src/runtime/config/connector-file.ts";

const json = (text: string) => parseConnectorConfig(text, "conn.json", "json");

async function thrown(run: () => unknown): Promise<unknown> {
  try {
    await run();
  } catch (error) {
    return error;
  }
  throw new Error("expected an error");
}

describe("connector configuration: properties", () => {
  test("a flat properties file, named by its name key", () => {
    const text = "name=local-file-source\nconnector.class=FileStreamSource\ntasks.max=1\nfile=test.txt\ntopic=t\n";
    expect(parseConnectorConfig(text, "c.properties", "properties")).toEqual({
      name: "local-file-source",
      config: {
        name: "local-file-source",
        "connector.class": "FileStreamSource",
        "tasks.max": "1",
        file: "test.txt",
        topic: "t",
      },
    });
  });

  test("a missing name is an error in Kafka's words", () => {
    expect(() => parseConnectorConfig("connector.class=X\n", "c.properties", "properties")).toThrow(
      "Connector configuration at 'c.properties' is missing the mandatory 'name' configuration",
    );
  });
});

describe("connector configuration: JSON", () => {
  test("a flat object; numbers and booleans become strings as written", () => {
    const result = json(
      '{"name":"s","connector.class":"X","tasks.max":2,"flag":true,"ratio":1.50,"big":12345678901234567890}',
    );
    expect(result).toEqual({
      name: "s",
      config: {
        name: "s",
        "connector.class": "X",
        "tasks.max": "2",
        flag: "true",
        ratio: "1.50",
        big: "12345678901234567890",
      },
    });
  });

  test("a create-connector request: the name is added to the config", () => {
    const result = json('{"name":"s","config":{"connector.class":"X","tasks.max":"1"}}');
    expect(result).toEqual({ name: "s", config: { "connector.class": "X", "tasks.max": "1", name: "s" } });
  });

  test("a create-connector request with initial_state (case-insensitive) and unknown fields ignored", () => {
    const result = json('{"name":"s","config":{"name":"s","connector.class":"X"},"initial_state":"paused","x":[1]}');
    expect(result).toEqual({ name: "s", config: { name: "s", "connector.class": "X" }, initialState: "PAUSED" });
  });

  test("a request whose name is only inside config", () => {
    expect(json('{"config":{"name":"inner","connector.class":"X"}}').name).toBe("inner");
  });

  test("names that disagree are an error", () => {
    expect(() => json('{"name":"a","config":{"name":"b"}}')).toThrow(
      "Connector name configuration in 'config' doesn't match the one specified in 'name' at 'conn.json'",
    );
  });

  test("a missing name is an error (both forms)", () => {
    expect(() => json('{"connector.class":"X"}')).toThrow("is missing the mandatory 'name' configuration");
    expect(() => json('{"config":{"connector.class":"X"}}')).toThrow("is missing the mandatory 'name' configuration");
  });

  test("an unknown initial_state is an error", () => {
    expect(() => json('{"name":"a","config":{},"initial_state":"SLEEPING"}')).toThrow(
      "conn.json: initial_state must be one of RUNNING, PAUSED, STOPPED, not 'SLEEPING'",
    );
  });

  test("non-string values name their key", () => {
    expect(() => json('{"name":"a","nested":{"x":1}}')).toThrow(
      "conn.json: the value of 'nested' must be a string, not an object",
    );
    expect(() => json('{"name":"a","config":{"topics":["a","b"]}}')).toThrow(
      "conn.json: the value of 'config.topics' must be a string, not an array",
    );
    expect(() => json('{"name":"a","x":null}')).toThrow("conn.json: the value of 'x' must be a string, not null");
    expect(() => json('{"name":{"first":"a"},"config":{}}')).toThrow(
      "the value of 'name' must be a string, not an object",
    );
  });

  test("a top level that is not an object is an error", () => {
    expect(() => json('["name"]')).toThrow(
      "conn.json: a connector configuration must be a JSON object, found an array",
    );
  });

  test("invalid JSON gives the file, line and column", async () => {
    const error = await thrown(() => json('{\n  "name": "a",\n  "tasks.max": 1,\n}\n'));
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as Error).message).toBe(
      "conn.json:4:1: invalid JSON: Unexpected character '}': expected a field name in double quotes",
    );
    expect(() => json('{"name": "a" "x": 1}')).toThrow(
      "conn.json:1:14: invalid JSON: Unexpected character '\"': expected ',' or '}'",
    );
    expect(() => json('{"name": "a\n"}')).toThrow(
      "conn.json:1:12: invalid JSON: Unescaped control character (code 10) in string",
    );
    expect(() => json('{"name": tru}')).toThrow(
      "conn.json:1:10: invalid JSON: Unexpected character 't': expected a JSON value",
    );
    expect(() => json('{"name": "a"')).toThrow(
      "conn.json:1:13: invalid JSON: Unexpected end of input: expected ',' or '}'",
    );
    expect(() => json('{"name": "a"} x')).toThrow(
      "conn.json:1:15: invalid JSON: Unexpected character 'x': expected end of input",
    );
    expect(() => json('{"tasks.max": 01}')).toThrow(
      "conn.json:1:15: invalid JSON: Invalid number: leading zeros are not allowed",
    );
  });
});

describe("loadConnectorConfigFile", () => {
  const dirPromise = mkdtemp(join(tmpdir(), "sluice-connector-"));
  afterAll(async () => rm(await dirPromise, { recursive: true, force: true }));

  test("chooses the format by extension, and by content for other names", async () => {
    const dir = await dirPromise;
    await writeFile(join(dir, "a.properties"), "name=a\nx=1\n");
    await writeFile(join(dir, "b.json"), '\uFEFF{"name":"b","config":{"x":"1"}}');
    await writeFile(join(dir, "c.conf"), '  {"name":"c"}');
    await writeFile(join(dir, "d.conf"), "name=d");
    expect(await loadConnectorConfigFile(join(dir, "a.properties"))).toEqual({
      name: "a",
      config: { name: "a", x: "1" },
    });
    expect(await loadConnectorConfigFile(join(dir, "b.json"))).toEqual({ name: "b", config: { x: "1", name: "b" } });
    expect((await loadConnectorConfigFile(join(dir, "c.conf"))).name).toBe("c");
    expect((await loadConnectorConfigFile(join(dir, "d.conf"))).name).toBe("d");
  });

  test("JSON errors name the file path with line and column", async () => {
    const path = join(await dirPromise, "bad.json");
    await writeFile(path, '{\n  "name": "x",\n  "a": \n}');
    await expect(loadConnectorConfigFile(path)).rejects.toThrow(
      `${path}:4:1: invalid JSON: Unexpected character '}': expected a JSON value`,
    );
  });

  test("a missing file is a ConfigError with the path", async () => {
    const path = join(await dirPromise, "nope.json");
    const error = await thrown(() => loadConnectorConfigFile(path));
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as Error).message).toBe(`Cannot read configuration file ${path}: no such file or directory`);
  });
});
