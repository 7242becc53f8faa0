/** What the development broker's group coordinator says about a group, for tests that check who is in it. */
import { Connection, describeGroupsV5 } from "@platformatic/kafka";
import { BOOTSTRAP } from "./harness.ts";
import { waitUntil } from "./worker-harness.ts";

export interface GroupDescription {
  readonly state: string;
  /** The assignor (consumer groups) or connect protocol (Connect groups) the members agreed on. */
  readonly protocol: string;
  readonly members: number;
}

/** The group as the coordinator describes it right now (state "Dead" and no members when it does not exist). */
export async function describeGroup(groupId: string): Promise<GroupDescription> {
  const connection = new Connection("sluice-group-harness");
  connection.on("error", () => {});
  try {
    const [host, port] = BOOTSTRAP.split(":") as [string, string];
    await connection.connect(host, Number(port));
    const described = await describeGroupsV5.api.async(connection, [groupId], false);
    const group = described.groups[0];
    return { state: group?.groupState ?? "", protocol: group?.protocolData ?? "", members: group?.members.length ?? 0 };
  } finally {
    await connection.close().catch(() => {});
  }
}

/** Waits until the group is Stable with `members` members; returns that description. */
export async function stableGroup(groupId: string, members: number, timeoutMs = 30_000): Promise<GroupDescription> {
  let last: GroupDescription = { state: "", protocol: "", members: 0 };
  await waitUntil(
    async () => {
      last = await describeGroup(groupId);
      return last.state === "Stable" && last.members === members;
    },
    timeoutMs,
    () => `group ${groupId}: ${JSON.stringify(last)}`,
  );
  return last;
}
