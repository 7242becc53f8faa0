/** FileStreamSourceConnector.exactlyOnceSupport: Kafka's answers for a file and for standard input. */
import { expect, test } from "bun:test";
import { FileStreamSourceConnector } from "../../../plugins/file/index.ts";
import { ConfigError, ConnectorTransactionBoundaries, ExactlyOnceSupport } from "../../../src/index.ts";

const answer = (props: Record<string, string>) => new FileStreamSourceConnector().exactlyOnceSupport(props);

test("a file resumes from stored positions: SUPPORTED; standard input keeps no offsets: UNSUPPORTED", () => {
  expect(answer({ topic: "t", file: "/tmp/lines.txt" })).toBe(ExactlyOnceSupport.SUPPORTED);
  const stdins: Record<string, string>[] = [{ topic: "t" }, { topic: "t", file: "" }, { topic: "t", file: "  " }];
  for (const stdin of stdins) {
    expect(answer(stdin)).toBe(ExactlyOnceSupport.UNSUPPORTED);
  }
});

test("the whole configuration is parsed first, so a bad one throws, as Kafka's connector does", () => {
  expect(() => answer({ file: "/tmp/lines.txt" })).toThrow(
    new ConfigError('Missing required configuration "topic" which has no default value.'),
  );
});

test("it does not define transaction boundaries (the default)", () => {
  expect(new FileStreamSourceConnector().canDefineTransactionBoundaries({ topic: "t" })).toBe(
    ConnectorTransactionBoundaries.UNSUPPORTED,
  );
});
