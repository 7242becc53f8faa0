/**
 * A distributed worker whose Kafka cannot be reached: its group member retries about ten times a second, and each
 * failure used to be a WARN line of its own. The herder folds them: one line per kind of failure and 30 s.
 */
import { afterAll, expect, test } from "bun:test";
import { setLogSink } from "../../../src/common/logger.ts";
import { httpLeaderClient } from "../../../src/rest/internal-client.ts";
import { DistributedHerder } from "../../../src/runtime/distributed/distributed-herder.ts";

const lines: string[] = [];
setLogSink((line) => lines.push(line));
afterAll(() => setLogSink((line) => process.stderr.write(line)));

test("an unreachable Kafka costs one membership WARN line per kind of failure, not one per retry", async () => {
  const herder = new DistributedHerder({
    url: "http://127.0.0.1:1/",
    bootstrap: "127.0.0.1:1",
    groupId: "membership-errors",
    sessionTimeoutMs: 10_000,
    rebalanceTimeoutMs: 60_000,
    heartbeatIntervalMs: 3000,
    scheduledRebalanceMaxDelayMs: 15_000,
    protocol: "sessioned",
    retryBackoffMs: 100,
    leader: httpLeaderClient(null),
  });
  const started = herder.start().catch(() => undefined);
  await Bun.sleep(3000);
  const membership = lines.filter((line) => line.includes("group membership"));
  // About 25 retries in 3 s.
  expect(membership.length).toBeGreaterThanOrEqual(1);
  expect(membership.length).toBeLessThanOrEqual(3);
  await herder.stop().catch(() => undefined);
  await started;
});
