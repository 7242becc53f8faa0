/**
 * The strongest check of byte compatibility: a real Kafka Connect 4.1.1 worker (ConnectDistributed) leads a group on
 * the development broker and a sluice ConnectGroupMember joins it. The Java leader must decode our metadata to
 * assign us, we must decode the assignment it wrote, and the Java worker's own metadata and assignment (read back
 * with DescribeGroups) must decode to its REST URL and its membership.
 */
import { afterAll, expect, setDefaultTimeout, test } from "bun:test";
import { existsSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { Connection, describeGroupsV5 } from "@platformatic/kafka";
import { ConnectGroupMember, type GroupGeneration } from "../../../src/kafka/group/connect-group-member.ts";
import {
  type ConnectAssignment,
  decodeAssignment,
  decodeWorkerState,
} from "../../../src/kafka/group/connect-protocol.ts";
import { BOOTSTRAP } from "../../harness.ts";
import { freePort, tempDir, waitUntil } from "../../worker-harness.ts";
import { uniqueGroup } from "./group-helpers.ts";

setDefaultTimeout(120_000);

const LIBS = join(process.env.HOME ?? "/root", ".cache/sluice/connect-4.1.1/libs");
const available = existsSync(join(LIBS, "connect-runtime-4.1.1.jar")) && Bun.which("java") !== null;

const cleanups: (() => Promise<void> | void)[] = [];
afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
});

test.skipIf(!available)("a sluice member joins a group led by Kafka Connect 4.1.1's ConnectDistributed", async () => {
  const groupId = uniqueGroup("connect-interop");
  const port = freePort();
  const dir = tempDir("sluice-connect-interop-");
  const properties = join(dir, "worker.properties");
  writeFileSync(
    properties,
    [
      `bootstrap.servers=${BOOTSTRAP}`,
      `group.id=${groupId}`,
      `config.storage.topic=${groupId}-configs`,
      `offset.storage.topic=${groupId}-offsets`,
      `status.storage.topic=${groupId}-status`,
      "config.storage.replication.factor=1",
      "offset.storage.replication.factor=1",
      "status.storage.replication.factor=1",
      "key.converter=org.apache.kafka.connect.json.JsonConverter",
      "value.converter=org.apache.kafka.connect.json.JsonConverter",
      `listeners=http://127.0.0.1:${port}`,
      "session.timeout.ms=6000",
      "heartbeat.interval.ms=1000",
      "scheduled.rebalance.max.delay.ms=0",
      "",
    ].join("\n"),
  );
  const java = Bun.spawn(["java", "-cp", `${LIBS}/*`, "org.apache.kafka.connect.cli.ConnectDistributed", properties], {
    stdout: "ignore",
    stderr: "ignore",
  });
  cleanups.push(() => {
    java.kill("SIGKILL");
  });
  const javaUrl = `http://127.0.0.1:${port}/`;
  await waitUntil(
    async () => (await fetch(`${javaUrl}connectors`).catch(() => null))?.ok === true,
    90_000,
    () => "Kafka Connect's REST API never answered",
  );

  const received: { assignment: ConnectAssignment; generation: GroupGeneration }[] = [];
  const member = new ConnectGroupMember({
    bootstrap: BOOTSTRAP,
    groupId,
    sessionTimeoutMs: 6_000,
    rebalanceTimeoutMs: 60_000,
    heartbeatIntervalMs: 1_000,
    metadata: () => ({ url: "http://sluice.example:18083/", configOffset: -1, assignment: null }),
    assign: () => {
      throw new Error("the Java worker joined first and stays the leader");
    },
    onAssigned: (assignment, generation) => {
      received.push({ assignment, generation });
    },
  });
  cleanups.push(() => member.stop());
  await member.start();

  const first = received[0];
  expect(first?.generation.protocol.name).toBe("sessioned");
  expect(first?.generation.isLeader).toBe(false);
  expect(first?.assignment.version).toBe(2);
  expect(first?.assignment.error).toBe(0);
  expect(first?.assignment.leader).toBe(first?.generation.leaderId ?? "");
  expect(first?.assignment.leaderUrl).toBe(javaUrl);
  expect(first?.assignment.leader.startsWith("connect-")).toBe(true);

  // The group as the broker holds it: both members' metadata as they sent it, their assignments as the leader wrote.
  const connection = new Connection("sluice-interop-test");
  connection.on("error", () => {});
  cleanups.push(() => connection.close().catch(() => {}));
  const [host, brokerPort] = BOOTSTRAP.split(":") as [string, string];
  await connection.connect(host, Number(brokerPort));
  const described = await describeGroupsV5.api.async(connection, [groupId], false);
  const group = described.groups[0];
  expect(group?.protocolType).toBe("connect");
  expect(group?.protocolData).toBe("sessioned");
  const javaMember = group?.members.find((m) => m.memberId === first?.generation.leaderId);
  const ourMember = group?.members.find((m) => m.memberId === member.memberId);
  expect(javaMember).toBeDefined();
  expect(ourMember).toBeDefined();
  const javaState = decodeWorkerState(javaMember?.memberMetadata ?? new Uint8Array(0), 2);
  expect(javaState.url).toBe(javaUrl);
  expect(javaState.configOffset).toBe(first?.assignment.configOffset ?? Number.NaN);
  expect(decodeWorkerState(ourMember?.memberMetadata ?? new Uint8Array(0), 2).url).toBe("http://sluice.example:18083/");
  const javaAssignment = decodeAssignment(javaMember?.memberAssignment ?? new Uint8Array(0), 2);
  expect(javaAssignment.leaderUrl).toBe(javaUrl);
  expect(javaAssignment.version).toBe(2);
  expect(decodeAssignment(ourMember?.memberAssignment ?? new Uint8Array(0), 2)).toEqual(
    first?.assignment as ConnectAssignment,
  );
});
