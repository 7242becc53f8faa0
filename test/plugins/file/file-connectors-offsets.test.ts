/** The file connectors' alterOffsets hooks: Kafka's checks of a file source's offsets, and what each returns. */
import { describe, expect, test } from "bun:test";
import { FileStreamSinkConnector, FileStreamSourceConnector } from "../../../plugins/file/index.ts";
import { ConnectError } from "../../../src/api/errors.ts";

const config = { "connector.class": "FileStreamSource", topic: "t", file: "/tmp/in.txt" };
const alter = (offsets: [Record<string, unknown>, Record<string, unknown> | null][], props = config) =>
  new FileStreamSourceConnector().alterOffsets(props, new Map(offsets) as never);

describe("FileStreamSourceConnector.alterOffsets", () => {
  test("accepts positions and tombstones (even for garbage partitions)", () => {
    expect(alter([[{ filename: "/tmp/in.txt" }, { position: 0 }]])).toBe(true);
    expect(alter([[{ anything: 1 }, null]])).toBe(true);
  });

  test.each([
    [[{ filename: "f" }, { pos: 1 }], "Offset objects should either be null or contain the key 'position'"],
    [
      [{ filename: "f" }, { position: "1" }],
      "The value for the 'position' key in the offset is expected to be a Long value",
    ],
    [
      [{ filename: "f" }, { position: 1.5 }],
      "The value for the 'position' key in the offset is expected to be a Long value",
    ],
    [
      [{ filename: "f" }, { position: -1 }],
      "The value for the 'position' key in the offset should be a non-negative value",
    ],
    [[{ file: "f" }, { position: 1 }], "Partition objects should contain the key 'filename'"],
  ] as [[Record<string, unknown>, Record<string, unknown>], string][])("refuses %j", (entry, message) => {
    expect(() => alter([entry])).toThrow(new ConnectError(message));
  });

  test("standard input has no offsets to alter", () => {
    expect(() => alter([[{ filename: null }, null]], { ...config, file: " " })).toThrow(
      "Offsets cannot be modified if the 'file' configuration is unspecified. This is because stdin is used for input and offsets are not tracked.",
    );
  });
});

test("FileStreamSinkConnector.alterOffsets: the consumer group holds all its offsets", () => {
  expect(new FileStreamSinkConnector().alterOffsets()).toBe(true);
});
