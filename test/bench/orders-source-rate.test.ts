/**
 * The `rate` key of the benchmark's TypeScript source task (bench/connect/plugin; its Java twin has the same
 * schedule): records/s per task on a steady schedule from the first poll, and without it as fast as it can.
 */
import { describe, expect, test } from "bun:test";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { OrdersFileSourceTask } from "../../bench/connect/plugin/orders-file-source-task.ts";
import { sourceTaskContext } from "../../src/testing/index.ts";
import { tempDir } from "../plugins/temp-dir.ts";

const dir = tempDir("sluice-orders-rate-");
const file = join(dir, "orders.jsonl");
writeFileSync(
  file,
  `${Array.from({ length: 5000 }, (_, i) => JSON.stringify({ order_id: `o-${i}`, total: i })).join("\n")}\n`,
);

async function started(props: Record<string, string>): Promise<OrdersFileSourceTask> {
  const task = new OrdersFileSourceTask();
  const all = { file, topic: "t", "task.index": "0", "task.count": "1", ...props };
  task.initialize(sourceTaskContext(all));
  await task.start(all);
  return task;
}

/** Polls for `ms` and counts the records. */
async function pollFor(task: OrdersFileSourceTask, ms: number): Promise<number> {
  const end = performance.now() + ms;
  let records = 0;
  while (performance.now() < end) records += (await task.poll())?.length ?? 0;
  return records;
}

describe("OrdersFileSourceTask rate", () => {
  test("rate=200 sends about 200 records per second, never ahead of the schedule", async () => {
    const task = await started({ rate: "200", "batch.size": "1000" });
    const sent = await pollFor(task, 1000);
    task.stop();
    // At most what is due after 1 s (200, plus the one due at the last poll's instant), and not far behind it.
    expect(sent).toBeLessThanOrEqual(201);
    expect(sent).toBeGreaterThanOrEqual(150);
  });

  test("without a rate, a poll returns a whole batch at once", async () => {
    const task = await started({ "batch.size": "1000" });
    expect((await task.poll())?.length).toBe(1000);
    task.stop();
  });
});
