/**
 * ConnectGroupMember against the real broker: members in this process and one in a child process (killed with
 * SIGKILL, or frozen with SIGSTOP to be fenced) form Connect groups through the broker's group coordinator.
 */
import { afterAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import { type Subprocess, spawn } from "bun";
import { ConfigError } from "../../../src/api/errors.ts";
import { KafkaError } from "../../../src/kafka/errors.ts";
import type { AssignRequest } from "../../../src/kafka/group/connect-group-member.ts";
import { ConnectGroupMember, type GroupGeneration } from "../../../src/kafka/group/connect-group-member.ts";
import type { ConnectAssignment } from "../../../src/kafka/group/connect-protocol.ts";
import { BOOTSTRAP } from "../../harness.ts";
import { freePort, waitUntil } from "../../worker-harness.ts";
import {
  type ComputedAssignments,
  lastGeneration,
  type RecordedMember,
  recordedMember,
  roundRobinAssignor,
  uniqueGroup,
} from "./group-helpers.ts";

setDefaultTimeout(60_000);

const CHILD = new URL("./fixtures/group-member-child.ts", import.meta.url).pathname;

interface ChildEvent {
  event: "assigned" | "lost" | "error";
  generation?: GroupGeneration;
  assignment?: ConnectAssignment;
  reason?: string;
}

/** A member in a child process; its events are parsed from its stdout as they arrive. */
function spawnChildMember(groupId: string, url: string, configOffset: number) {
  const proc = spawn(["bun", CHILD, groupId, url, String(configOffset)], { stdout: "pipe", stderr: "inherit" });
  const events: ChildEvent[] = [];
  void (async () => {
    let buffered = "";
    const decoder = new TextDecoder();
    for await (const chunk of proc.stdout) {
      buffered += decoder.decode(chunk, { stream: true });
      const lines = buffered.split("\n");
      buffered = lines.pop() ?? "";
      for (const line of lines) if (line.trim() !== "") events.push(JSON.parse(line) as ChildEvent);
    }
  })();
  const assigned = () => events.filter((e) => e.event === "assigned");
  return { proc, events, assigned };
}

/** The wire groups tasks per connector (in JDK HashSet order): compare assignments regardless of list order. */
function normalized(assignment: ConnectAssignment | undefined) {
  if (assignment === undefined) return undefined;
  const byTask = (a: { connector: string; task: number }, b: { connector: string; task: number }) =>
    a.connector.localeCompare(b.connector) || a.task - b.task;
  return {
    ...assignment,
    connectors: [...assignment.connectors].sort(),
    tasks: [...assignment.tasks].sort(byTask),
    revokedConnectors: [...assignment.revokedConnectors].sort(),
    revokedTasks: [...assignment.revokedTasks].sort(byTask),
  };
}

const children: Subprocess[] = [];
const members: RecordedMember[] = [];
afterAll(async () => {
  for (const child of children) child.kill("SIGKILL");
  await Promise.all(members.map((m) => m.member.stop()));
});

function track(member: RecordedMember): RecordedMember {
  members.push(member);
  return member;
}

describe("a Connect group of three in-process members and a child process", () => {
  const groupId = uniqueGroup("connect-group");
  const computed: ComputedAssignments = new Map();
  const seen: AssignRequest[] = [];
  const assign = roundRobinAssignor(["c1", "c2", "c3", "c4", "c5", "c6", "c7", "c8"], computed, seen);
  const states = [
    { url: "http://127.0.0.1:18083/", configOffset: 0, assignment: null },
    { url: "http://wörker-2.example:18084/", configOffset: 2 ** 40 + 7, assignment: null },
    { url: "https://[::1]:18085/", configOffset: 42, assignment: null },
  ];
  const inProcess = states.map((state) => track(recordedMember(groupId, state, assign)));
  let child: ReturnType<typeof spawnChildMember>;

  test("all join, exactly one leads, and everyone gets the assignment the leader computed for it", async () => {
    await Promise.all(inProcess.map((m) => m.member.start()));
    child = spawnChildMember(groupId, "http://child.example:18086/", 7);
    children.push(child.proc);
    // The child's join makes the others rejoin: wait until all four are in the same, latest generation.
    await waitUntil(
      () => {
        const generation = child.assigned().at(-1)?.generation?.generationId;
        return generation !== undefined && inProcess.every((m) => lastGeneration(m) === generation);
      },
      30_000,
      () => `generations: ${inProcess.map(lastGeneration)} child ${JSON.stringify(child.events)}`,
    );
    const childLast = child.assigned().at(-1);
    const generationId = childLast?.generation?.generationId ?? -1;
    const leaders = inProcess.filter((m) => m.member.isLeader).length + (childLast?.generation?.isLeader ? 1 : 0);
    expect(leaders).toBe(1);
    const leaderIds = new Set([
      ...inProcess.map((m) => m.member.generation?.leaderId),
      childLast?.generation?.leaderId,
    ]);
    expect(leaderIds.size).toBe(1);

    const byMember = computed.get(generationId);
    expect(byMember?.size).toBe(4);
    for (const m of inProcess) {
      expect(normalized(m.assigned.at(-1)?.assignment)).toEqual(normalized(byMember?.get(m.member.memberId)));
      expect(m.assigned.at(-1)?.generation.protocol.name).toBe("sessioned");
      expect(m.member.generationId).toBe(generationId);
    }
    expect(normalized(childLast?.assignment)).toEqual(normalized(byMember?.get(childLast?.generation?.memberId ?? "")));
    // All eight connectors went out, each exactly once.
    const all = [...(byMember?.values() ?? [])].flatMap((a) => a.connectors).sort();
    expect(all).toEqual(["c1", "c2", "c3", "c4", "c5", "c6", "c7", "c8"]);

    // The leader saw every member's URL and config offset as they were sent.
    const request = seen.find((r) => r.generation.generationId === generationId);
    const urls = request?.members.map((m) => [m.state.url, m.state.configOffset]).sort();
    expect(urls).toEqual(
      [...states.map((s) => [s.url, s.configOffset]), ["http://child.example:18086/", 7]].sort() as [string, number][],
    );
    expect(childLast?.assignment?.configOffset).toBe(2 ** 40 + 7);
  });

  test("heartbeats keep quiet members in past the session timeout; a killed member is dropped after it", async () => {
    const before = inProcess.map(lastGeneration);
    await Bun.sleep(8_000); // longer than session.timeout.ms (6000): only heartbeats keep them members
    expect(inProcess.map(lastGeneration)).toEqual(before);
    expect(inProcess.flatMap((m) => m.lost)).toEqual([]);

    const killedAt = Date.now();
    child.proc.kill("SIGKILL");
    await waitUntil(
      () => inProcess.every((m) => lastGeneration(m) > (before[0] ?? 0)),
      25_000,
      () => `generations: ${inProcess.map(lastGeneration)}`,
    );
    const elapsed = Date.now() - killedAt;
    // The broker waits for the session timeout after the child's last heartbeat (at most one interval before the kill).
    expect(elapsed).toBeGreaterThanOrEqual(4_500);
    const generationId = lastGeneration(inProcess[0] as RecordedMember);
    expect(computed.get(generationId)?.size).toBe(3);
  });

  test("a member that stops leaves at once: the others rebalance without waiting for its session", async () => {
    const [leaving, ...staying] = inProcess as [RecordedMember, ...RecordedMember[]];
    const before = lastGeneration(leaving);
    const stoppedAt = Date.now();
    await leaving.member.stop();
    await waitUntil(
      () => staying.every((m) => lastGeneration(m) > before),
      10_000,
      () => `generations: ${staying.map(lastGeneration)}`,
    );
    expect(Date.now() - stoppedAt).toBeLessThan(4_000);
    expect(leaving.member.generationId).toBe(-1);
    expect(leaving.member.memberId).toBe("");
    const generationId = lastGeneration(staying[0] as RecordedMember);
    const assignments = computed.get(generationId);
    expect([...(assignments?.keys() ?? [])].sort()).toEqual(staying.map((m) => m.member.memberId).sort());
    expect([...(assignments?.values() ?? [])].flatMap((a) => a.connectors).length).toBe(8);
  });
});

describe("fencing", () => {
  test("a frozen member that lost its membership is told (onLost) before it rejoins", async () => {
    const groupId = uniqueGroup("connect-fence");
    const computed: ComputedAssignments = new Map();
    const leader = track(
      recordedMember(
        groupId,
        { url: "http://l/", configOffset: 1, assignment: null },
        roundRobinAssignor(["a", "b"], computed, []),
      ),
    );
    await leader.member.start();
    const child = spawnChildMember(groupId, "http://frozen/", 1);
    children.push(child.proc);
    await waitUntil(
      () => child.assigned().length > 0,
      20_000,
      () => JSON.stringify(child.events),
    );
    const frozenGeneration = child.assigned().at(-1)?.generation?.generationId ?? -1;

    child.proc.kill("SIGSTOP");
    // The leader alone gets a new generation once the frozen member's session expired.
    await waitUntil(
      () => (computed.get(lastGeneration(leader))?.size ?? 0) === 1 && lastGeneration(leader) > frozenGeneration,
      20_000,
      () => `leader generation ${lastGeneration(leader)}`,
    );
    child.proc.kill("SIGCONT");
    await waitUntil(
      () => (child.assigned().at(-1)?.generation?.generationId ?? -1) > frozenGeneration,
      20_000,
      () => JSON.stringify(child.events),
    );
    const order = child.events.filter((e) => e.event !== "error").map((e) => e.event);
    // assigned (first generation), lost, assigned (as a new member)
    expect(order.indexOf("lost")).toBeGreaterThan(0);
    expect(order.indexOf("lost")).toBeLessThan(order.lastIndexOf("assigned"));
    const memberIds = child.assigned().map((e) => e.generation?.memberId);
    expect(new Set(memberIds).size).toBe(2); // it came back under a new member id
    child.proc.kill("SIGKILL");
  });
});

describe("a busy owner", () => {
  test("a member still busy with its last assignment when a rebalance starts keeps heartbeating and is not evicted", async () => {
    const groupId = uniqueGroup("connect-busy");
    const computed: ComputedAssignments = new Map();
    const assign = roundRobinAssignor(["a", "b", "c"], computed, []);
    // A rebalance may wait for the busy member longer than its session timeout (6 s), not longer than this.
    const timeouts = { rebalanceTimeoutMs: 30_000 };
    let busyUntil = 0;
    const busy: RecordedMember = track(
      recordedMember(groupId, { url: "http://busy/", configOffset: 1, assignment: null }, assign, {
        ...timeouts,
        // Its owner takes 9 s over the second assignment (as a worker sending task configs to a leader that answers
        // only after the next rebalance): longer than the session timeout.
        onAssigned: async (assignment, generation) => {
          busy.assigned.push({ assignment, generation });
          if (busy.assigned.length === 2) {
            busyUntil = Date.now() + 9_000;
            await Bun.sleep(9_000);
          }
        },
        onLost: (reason) => {
          busy.lost.push(reason);
        },
      }),
    );
    await busy.member.start();
    const second = track(
      recordedMember(groupId, { url: "http://second/", configOffset: 1, assignment: null }, assign, timeouts),
    );
    await second.member.start();
    await waitUntil(
      () => busyUntil > 0,
      20_000,
      () => `busy member's generations: ${busy.assigned.map((a) => a.generation.generationId)}`,
    );
    // A third member starts a rebalance while the busy member's owner is still at work.
    const third = track(
      recordedMember(groupId, { url: "http://third/", configOffset: 1, assignment: null }, assign, timeouts),
    );
    await third.member.start();
    expect(Date.now()).toBeGreaterThanOrEqual(busyUntil - 1_000);
    const generationId = lastGeneration(third);
    expect(busy.lost).toEqual([]);
    // The generation the third member joined has all three: the busy one was waited for, not dropped.
    expect(computed.get(generationId)?.size).toBe(3);
    await waitUntil(
      () => lastGeneration(busy) === generationId,
      20_000,
      () => `busy member at generation ${lastGeneration(busy)}, group at ${generationId}`,
    );
  });
});

describe("protocols", () => {
  test("with an eager member the group speaks `default` (version 0), and eager members revoke before rejoining", async () => {
    const groupId = uniqueGroup("connect-eager");
    const computed: ComputedAssignments = new Map();
    const assign = roundRobinAssignor(["x", "y"], computed, []);
    const sessioned = track(recordedMember(groupId, { url: "http://s/", configOffset: 3, assignment: null }, assign));
    const eagerState = { url: "http://e/", configOffset: 3, assignment: null };
    const eager = track(recordedMember(groupId, eagerState, assign, { protocol: "eager" }));
    await Promise.all([sessioned.member.start(), eager.member.start()]);
    await waitUntil(
      () => lastGeneration(sessioned) === lastGeneration(eager) && lastGeneration(eager) > 0,
      20_000,
      () => `${lastGeneration(sessioned)} ${lastGeneration(eager)}`,
    );
    expect(eager.assigned.at(-1)?.generation.protocol.name).toBe("default");
    expect(sessioned.assigned.at(-1)?.assignment.version).toBe(0);

    const before = lastGeneration(eager);
    const memberId = eager.member.memberId;
    eager.events.length = 0;
    // A follower rejoining with unchanged metadata just gets the current generation back (the broker's rule), so
    // rejoin as a herder does after reading new configs: with a higher config offset.
    eagerState.configOffset = 4;
    eager.member.requestRejoin("read new configs");
    await waitUntil(
      () => lastGeneration(eager) > before && lastGeneration(sessioned) > before,
      20_000,
      () => `${lastGeneration(sessioned)} ${lastGeneration(eager)}`,
    );
    expect(eager.member.memberId).toBe(memberId); // a rejoin keeps the membership
    expect(computed.get(lastGeneration(eager))?.get(memberId)?.configOffset).toBe(4);
    expect(eager.events[0]).toBe("revoked");
    expect(eager.revoked.at(-1)?.connectors.length).toBeGreaterThan(0);
    await Promise.all([sessioned.member.stop(), eager.member.stop()]);
  });
});

describe("errors", () => {
  const base = {
    bootstrap: BOOTSTRAP,
    groupId: "unused",
    sessionTimeoutMs: 6_000,
    rebalanceTimeoutMs: 10_000,
    heartbeatIntervalMs: 1_000,
    metadata: () => ({ url: "http://u/", configOffset: 0, assignment: null }),
    assign: () => new Map<string, ConnectAssignment>(),
    onAssigned: () => {},
  };

  test("bad settings are refused by name", () => {
    expect(() => new ConnectGroupMember({ ...base, heartbeatIntervalMs: 6_000 })).toThrow(
      "heartbeat.interval.ms (6000) must be lower than session.timeout.ms (6000)",
    );
    expect(() => new ConnectGroupMember({ ...base, sessionTimeoutMs: -1 })).toThrow(ConfigError);
    expect(() => new ConnectGroupMember({ ...base, groupId: " " })).toThrow("group.id must not be empty");
    expect(() => new ConnectGroupMember({ ...base, bootstrap: "localhost" })).toThrow(
      "Invalid url in bootstrap.servers: localhost",
    );
    expect(() => new ConnectGroupMember({ ...base, bootstrap: " , " })).toThrow("bootstrap.servers is empty");
  });

  test("a session timeout below the broker's minimum fails start() with the broker's error", async () => {
    const member = new ConnectGroupMember({
      ...base,
      groupId: uniqueGroup("connect-bad-session"),
      sessionTimeoutMs: 1_000,
      heartbeatIntervalMs: 100,
    });
    const failure = await member.start().catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(KafkaError);
    expect((failure as KafkaError).errorName).toBe("INVALID_SESSION_TIMEOUT");
    expect((failure as KafkaError).fatal).toBe(true);
    expect(member.generationId).toBe(-1);
  });

  test("an assignor that leaves a member out is reported, and the member keeps trying until stopped", async () => {
    const errors: Error[] = [];
    const member = new ConnectGroupMember({
      ...base,
      groupId: uniqueGroup("connect-bad-assign"),
      onError: (e) => errors.push(e),
    });
    const started = member.start().catch((error: unknown) => error);
    await waitUntil(
      () => errors.length > 0,
      10_000,
      () => "no error reported",
    );
    expect(errors[0]?.message).toMatch(/The assignor gave member '.+' of group '.+' no assignment/);
    await member.stop();
    expect(String(await started)).toContain("stopped");
  });

  test("an unreachable bootstrap broker is reported and retried; stop() ends it", async () => {
    const errors: Error[] = [];
    const member = new ConnectGroupMember({
      ...base,
      bootstrap: `127.0.0.1:${freePort()}`,
      groupId: uniqueGroup("connect-no-broker"),
      onError: (e) => errors.push(e),
    });
    const started = member.start().catch((error: unknown) => error);
    await waitUntil(
      () => errors.length >= 2,
      10_000,
      () => `errors: ${errors.map((e) => e.message)}`,
    );
    expect(errors[0]?.message).toContain("FindCoordinator for Connect group");
    await member.stop();
    expect(String(await started)).toContain("stopped");
  });
});
