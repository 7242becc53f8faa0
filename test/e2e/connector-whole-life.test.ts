/**
 * A connector's whole life through the REST API on the real broker, in the order issue 5 gives it: create →
 * RUNNING → pause → PAUSED → resume → stop → alter offsets → resume from the altered offsets → restart with
 * includeTasks → delete, checking the status and the data that reached the sink's file at each step.
 */
import { afterAll, beforeAll, expect, setDefaultTimeout, test } from "bun:test";
import { appendFileSync, existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { uniqueTopic } from "../harness.ts";
import { type RestWorker, startRestWorker } from "../rest/rest-worker.ts";
import { waitUntil } from "../worker-harness.ts";

setDefaultTimeout(90_000);

let w: RestWorker;
let input: string;
let output: string;
const topic = uniqueTopic("whole-life");

const lines = () => (existsSync(output) ? readFileSync(output, "utf8").split("\n").filter(Boolean) : []);
const states = async (name: string) => {
  const { body } = await w.call("GET", `/connectors/${name}/status`);
  const info = body as { connector: { state: string }; tasks: { state: string }[] };
  return [info.connector.state, ...info.tasks.map((t) => t.state)].join(",");
};
const reach = (name: string, expected: string) =>
  waitUntil(
    async () => (await states(name)) === expected,
    15_000,
    () => `${name} never reached ${expected}`,
  );
const receive = (expected: string[]) =>
  waitUntil(
    () => lines().join(",") === expected.join(","),
    20_000,
    () => `the sink wrote ${JSON.stringify(lines())}, expected ${JSON.stringify(expected)}`,
  );
const holdsAt = async (expected: string[]) => {
  await Bun.sleep(1500);
  expect(lines()).toEqual(expected);
};

beforeAll(async () => {
  w = await startRestWorker();
  input = join(w.dir, "life.txt");
  output = join(w.dir, "life-out.txt");
  writeFileSync(input, "one\ntwo\nthree\n");
});

afterAll(async () => {
  await w.stop();
});

test("create → pause → resume → stop → alter offsets → resume → restart → delete", async () => {
  // create: RUNNING, and the lines reach the sink
  expect(
    (
      await w.call("POST", "/connectors", {
        name: "life",
        config: { "connector.class": "FileStreamSource", file: input, topic },
      })
    ).status,
  ).toBe(201);
  expect(
    (
      await w.call("POST", "/connectors", {
        name: "life-sink",
        config: { "connector.class": "FileStreamSink", file: output, topics: topic },
      })
    ).status,
  ).toBe(201);
  await reach("life", "RUNNING,RUNNING");
  await receive(["one", "two", "three"]);

  // pause: PAUSED, a new line waits
  expect((await w.call("PUT", "/connectors/life/pause")).status).toBe(202);
  await reach("life", "PAUSED,PAUSED");
  appendFileSync(input, "four\n");
  await holdsAt(["one", "two", "three"]);

  // resume: RUNNING, the line comes
  expect((await w.call("PUT", "/connectors/life/resume")).status).toBe(202);
  await reach("life", "RUNNING,RUNNING");
  await receive(["one", "two", "three", "four"]);

  // stop: STOPPED without tasks; the offset is the position after "four"
  expect((await w.call("PUT", "/connectors/life/stop")).status).toBe(204);
  await reach("life", "STOPPED");
  const end = readFileSync(input).length;
  await waitUntil(
    async () => {
      const { body } = await w.call("GET", "/connectors/life/offsets");
      return (
        JSON.stringify(body) ===
        JSON.stringify({ offsets: [{ partition: { filename: input }, offset: { position: end } }] })
      );
    },
    10_000,
    () => "the source's offset never reached the end of the file",
  );

  // alter offsets: back to the start of "two"
  const altered = await w.call("PATCH", "/connectors/life/offsets", {
    offsets: [{ partition: { filename: input }, offset: { position: "one\n".length } }],
  });
  expect(altered.status).toBe(200);
  expect(altered.body).toEqual({ message: "The offsets for this connector have been altered successfully" });
  expect((await w.call("GET", "/connectors/life/offsets")).body).toEqual({
    offsets: [{ partition: { filename: input }, offset: { position: 4 } }],
  });

  // resume from the altered offsets: "two" to "four" come again
  expect((await w.call("PUT", "/connectors/life/resume")).status).toBe(202);
  await reach("life", "RUNNING,RUNNING");
  await receive(["one", "two", "three", "four", "two", "three", "four"]);

  // restart with includeTasks: 202 with RESTARTING, then RUNNING, and new lines still flow
  const restarted = await w.call("POST", "/connectors/life/restart?includeTasks=true");
  expect(restarted.status).toBe(202);
  expect(restarted.body).toMatchObject({
    name: "life",
    connector: { state: "RESTARTING" },
    tasks: [{ id: 0, state: "RESTARTING" }],
    type: "source",
  });
  await reach("life", "RUNNING,RUNNING");
  appendFileSync(input, "five\n");
  await receive(["one", "two", "three", "four", "two", "three", "four", "five"]);

  // delete: 204, gone, and nothing more is read
  expect((await w.call("DELETE", "/connectors/life")).status).toBe(204);
  expect((await w.call("GET", "/connectors/life")).status).toBe(404);
  expect((await w.call("GET", "/connectors")).body).toEqual(["life-sink"]);
  appendFileSync(input, "six\n");
  await holdsAt(["one", "two", "three", "four", "two", "three", "four", "five"]);
});
