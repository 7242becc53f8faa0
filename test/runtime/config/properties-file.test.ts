import { afterAll, describe, expect, test } from "bun:test";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ConfigError } from "../../../src/api/errors.ts";
import {
  loadPropertiesFile,
  loadPropertiesFileWithLines,
  parseProperties,
  parsePropertiesWithLines,
} from "../../../src/runtime/config/properties-file.ts";

const parse = (text: string) => parseProperties(text, "test.properties");

describe("parseProperties: the java.util.Properties.load examples", () => {
  test("three ways to write the same key and value", () => {
    for (const line of ["Truth = Beauty", " Truth:Beauty", "Truth                    :Beauty"])
      expect(parse(line)).toEqual({ Truth: "Beauty" });
  });

  test("a value continued over three lines drops the backslashes and the continuation indent", () => {
    const text = [
      "fruits                           apple, banana, pear, \\",
      "                                 cantaloupe, watermelon, \\",
      "                                 kiwi, mango",
    ].join("\n");
    expect(parse(text)).toEqual({ fruits: "apple, banana, pear, cantaloupe, watermelon, kiwi, mango" });
  });

  test("a key alone has the empty string as value", () => {
    expect(parse("cheeses")).toEqual({ cheeses: "" });
  });

  test("escaped separators belong to the key", () => {
    expect(parse("\\:\\=")).toEqual({ ":=": "" });
    expect(parse("a\\ b\\=c\\:d = v")).toEqual({ "a b=c:d": "v" });
  });
});

describe("parseProperties: comments, blank lines, line ends", () => {
  test("# and ! start comments, also after leading whitespace", () => {
    expect(parse("# one\n! two\n   # three\n\t! four\na=1")).toEqual({ a: "1" });
  });

  test("a comment ending in a backslash does not continue onto the next line", () => {
    expect(parse("# comment \\\na=1")).toEqual({ a: "1" });
  });

  test("# and ! inside a value are ordinary characters", () => {
    expect(parse("a=b # not a comment !")).toEqual({ a: "b # not a comment !" });
  });

  test("a continuation line starting with # is not a comment", () => {
    expect(parse("a=b\\\n  #c")).toEqual({ a: "b#c" });
  });

  test("blank and whitespace-only lines are skipped", () => {
    expect(parse("\n\n   \n\t\f\na=1\n\n b = 2 \n")).toEqual({ a: "1", b: "2 " });
  });

  test("CRLF, CR and LF line ends all work", () => {
    expect(parse("a=1\r\nb=2\rc=3\nd=4")).toEqual({ a: "1", b: "2", c: "3", d: "4" });
    expect(parse("a=x\\\r\n   y\r\nb=2")).toEqual({ a: "xy", b: "2" });
  });
});

describe("parseProperties: separators", () => {
  test("=, : and whitespace separate; whitespace around them is skipped", () => {
    expect(parse("a=b")).toEqual({ a: "b" });
    expect(parse("a:b")).toEqual({ a: "b" });
    expect(parse("a b")).toEqual({ a: "b" });
    expect(parse("a \t = \f b")).toEqual({ a: "b" });
  });

  test("only the first separator counts; the rest is value", () => {
    expect(parse("a==b")).toEqual({ a: "=b" });
    expect(parse("a = : b")).toEqual({ a: ": b" });
    expect(parse("a b=c")).toEqual({ a: "b=c" });
    expect(parse("url=http://host:8083/x=y")).toEqual({ url: "http://host:8083/x=y" });
  });

  test("an empty key and empty values", () => {
    expect(parse("=value")).toEqual({ "": "value" });
    expect(parse("a=")).toEqual({ a: "" });
    expect(parse("a =   ")).toEqual({ a: "" });
  });

  test("trailing whitespace of a value is kept", () => {
    expect(parse("a=b  ")).toEqual({ a: "b  " });
  });
});

describe("parseProperties: escapes and continuations", () => {
  test("\\t \\n \\r \\f \\\\ and \\uXXXX", () => {
    expect(parse("a=1\\t2\\n3\\r4\\f5\\\\6\\u00e9\\u20AC")).toEqual({ a: "1\t2\n3\r4\f5\\6é€" });
  });

  test("any other escaped character stands for itself", () => {
    expect(parse("a=\\b\\q\\#\\!\\=\\:\\ x")).toEqual({ a: "bq#!=: x" });
  });

  test("an escaped leading space is kept in the value", () => {
    expect(parse("a=\\  b")).toEqual({ a: "  b" });
  });

  test("an even number of trailing backslashes does not continue the line", () => {
    expect(parse("a=b\\\\\nc=d")).toEqual({ a: "b\\", c: "d" });
    expect(parse("a=b\\\\\\\nc")).toEqual({ a: "b\\c" });
  });

  test("a continued key", () => {
    expect(parse("my\\\n   key=v")).toEqual({ mykey: "v" });
  });

  test("a continuation onto an empty line ends the value", () => {
    expect(parse("a=b\\\n\nc=d")).toEqual({ a: "b", c: "d" });
  });

  test("a line that is only a backslash continues into a fresh line, which may be a comment or blank", () => {
    // Java's LineReader decides "comment" and "blank" on what it has buffered so far, which is nothing here.
    expect(parse("\\\n# comment\na=1")).toEqual({ a: "1" });
    expect(parse(" \\\n \r\n\n!\r\n")).toEqual({});
    expect(parse("\\\n!x\n \f\\\na")).toEqual({ a: "" });
  });

  test("a trailing backslash at the end of the file is dropped", () => {
    expect(parse("a=b\\")).toEqual({ a: "b" });
  });

  test("the last duplicate key wins", () => {
    expect(parse("a=1\nb=2\na=3")).toEqual({ a: "3", b: "2" });
  });

  test("__proto__ is an ordinary key", () => {
    const props = parse("__proto__=x");
    expect(Object.getPrototypeOf(props)).toBe(Object.prototype);
    expect(Object.getOwnPropertyDescriptor(props, "__proto__")?.value).toBe("x");
  });
});

describe("parsePropertiesWithLines", () => {
  test("maps each key to the line its (last) definition starts on", () => {
    const text = "# header\n\na=1\nlong=x\\\n  y\\\n  z\nb=2\na=3\n";
    const { values, lines } = parsePropertiesWithLines(text, "worker.properties");
    expect(values).toEqual({ a: "3", long: "xyz", b: "2" });
    expect(lines.get("long")).toBe(4);
    expect(lines.get("b")).toBe(7);
    expect(lines.get("a")).toBe(8);
  });

  test("a malformed \\u escape names the file and the line", () => {
    const text = "a=1\n# c\nbad=\\u12\n";
    expect(() => parsePropertiesWithLines(text, "worker.properties")).toThrow(
      new ConfigError("worker.properties:3: malformed \\uXXXX escape"),
    );
    expect(() => parse("x\\uZZZZ=1")).toThrow("test.properties:1: malformed \\uXXXX escape");
  });

  test("the error is a ConfigError", () => {
    let caught: unknown;
    try {
      parse("a=\\u");
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(ConfigError);
  });
});

describe("loadPropertiesFile", () => {
  const dirPromise = mkdtemp(join(tmpdir(), "sluice-props-"));
  afterAll(async () => rm(await dirPromise, { recursive: true, force: true }));

  test("reads a UTF-8 file", async () => {
    const path = join(await dirPromise, "worker.properties");
    await writeFile(path, "bootstrap.servers=localhost:9092\nname=caf\u00e9\n");
    expect(await loadPropertiesFile(path)).toEqual({ "bootstrap.servers": "localhost:9092", name: "café" });
    const { lines } = await loadPropertiesFileWithLines(path);
    expect(lines.get("name")).toBe(2);
  });

  test("reads bytes that are not UTF-8 as ISO-8859-1, as Java does", async () => {
    const path = join(await dirPromise, "latin1.properties");
    await writeFile(path, Uint8Array.from([...new TextEncoder().encode("name=caf"), 0xe9]));
    expect(await loadPropertiesFile(path)).toEqual({ name: "café" });
  });

  test("a missing file is a ConfigError with the path and the reason", async () => {
    const path = join(await dirPromise, "missing.properties");
    await expect(loadPropertiesFile(path)).rejects.toThrow(
      `Cannot read configuration file ${path}: no such file or directory`,
    );
    await expect(loadPropertiesFile(path)).rejects.toBeInstanceOf(ConfigError);
  });

  test("a directory is a ConfigError with the reason", async () => {
    const dir = await dirPromise;
    await expect(loadPropertiesFile(dir)).rejects.toThrow(`Cannot read configuration file ${dir}: is a directory`);
  });

  test("errors inside the file name the path", async () => {
    const path = join(await dirPromise, "bad.properties");
    await writeFile(path, "a=1\nb=\\uXYZW\n");
    await expect(loadPropertiesFile(path)).rejects.toThrow(`${path}:2: malformed \\uXXXX escape`);
  });
});
