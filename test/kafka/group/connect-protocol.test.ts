/**
 * sluice's Connect group codec against golden bytes written by Kafka Connect 4.1.1's own ConnectProtocol /
 * IncrementalCooperativeConnectProtocol (fixtures/ConnectProtocolGolden.java), plus round-trip properties and the
 * error paths of bad input.
 */
import { describe, expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import fc from "fast-check";
import {
  type ConnectAssignment,
  decodeAssignment,
  decodeWorkerState,
  encodeAssignment,
  encodeWorkerState,
  type WorkerState,
} from "../../../src/kafka/group/connect-protocol.ts";
import {
  connectProtocolByName,
  connectProtocolMode,
  offeredConnectProtocols,
} from "../../../src/kafka/group/connect-protocol-compatibility.ts";
import { ConnectProtocolError } from "../../../src/kafka/group/connect-protocol-error.ts";
import { javaHashSetOrder, javaStringHashCode } from "../../../src/kafka/group/java-hash-set-order.ts";

interface MetadataCase {
  name: string;
  kind: "metadata";
  input: WorkerState;
  protocols: { name: string; hex: string; decoded: WorkerState }[];
}
interface AssignmentCase {
  name: string;
  kind: "assignment";
  version: number;
  input: ConnectAssignment;
  hex: string;
  decoded: ConnectAssignment;
}

const golden = readFileSync(new URL("./fixtures/connect-protocol-golden.jsonl", import.meta.url), "utf8")
  .trim()
  .split("\n")
  .map((line) => JSON.parse(line) as MetadataCase | AssignmentCase);

const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString("hex");

describe("golden bytes from Kafka Connect 4.1.1", () => {
  test("the fixture has both kinds", () => {
    expect(golden.filter((c) => c.kind === "metadata").length).toBeGreaterThanOrEqual(3);
    expect(golden.filter((c) => c.kind === "assignment").length).toBeGreaterThanOrEqual(6);
  });

  for (const item of golden) {
    if (item.kind === "metadata") {
      test(`metadata: ${item.name}`, () => {
        // Kafka offers [sessioned, compatible, default]; so do we, with the same bytes for each.
        expect(item.protocols.map((p) => p.name)).toEqual(offeredConnectProtocols("sessioned").map((p) => p.name));
        for (const protocol of item.protocols) {
          const { version } = connectProtocolByName(protocol.name);
          expect(hex(encodeWorkerState(item.input, version))).toBe(protocol.hex);
          expect(decodeWorkerState(Buffer.from(protocol.hex, "hex"), version)).toEqual(protocol.decoded);
        }
      });
    } else {
      test(`assignment: ${item.name}`, () => {
        expect(hex(encodeAssignment(item.input))).toBe(item.hex);
        expect(decodeAssignment(Buffer.from(item.hex, "hex"), item.version)).toEqual(item.decoded);
      });
    }
  }
});

const name = fc.string({ unit: "grapheme", minLength: 1, maxLength: 12 });
const taskId = fc.record({ connector: name, task: fc.integer({ min: 0, max: 2 ** 31 - 1 }) });
const offset = fc.integer({ min: -1, max: Number.MAX_SAFE_INTEGER });

/** Assignments whose lists are already in wire order, so that decoding gives back exactly the input. */
const wireOrdered = (version: number) =>
  fc
    .record({
      error: fc.constantFrom(0, 1),
      leader: name,
      leaderUrl: fc.webUrl(),
      configOffset: offset,
      connectors: fc.uniqueArray(name, { maxLength: 6 }),
      revokedConnectors: fc.uniqueArray(name, { maxLength: 4 }),
      extraTasks: fc.array(taskId, { maxLength: 6 }),
      delay: fc.integer({ min: 0, max: 2 ** 31 - 1 }),
    })
    .map((r): ConnectAssignment => {
      const connectors = javaHashSetOrder(r.connectors);
      // Tasks of assigned connectors only, grouped per connector in the connectors' order, as the wire groups them.
      const tasks = connectors.flatMap((connector) =>
        r.extraTasks.filter((_, i) => i % 2 === 0).map((t) => ({ connector, task: t.task })),
      );
      const revokedTasks = r.revokedConnectors.flatMap((connector, i) => (i % 2 === 0 ? [{ connector, task: i }] : []));
      const v0 = version === 0;
      return {
        version,
        error: r.error,
        leader: r.leader,
        leaderUrl: r.leaderUrl,
        configOffset: r.configOffset,
        connectors,
        tasks,
        revokedConnectors: v0 ? [] : r.revokedConnectors,
        revokedTasks: v0 ? [] : revokedTasks,
        delay: v0 ? 0 : r.delay,
      };
    });

describe("round trips", () => {
  for (const version of [0, 1, 2]) {
    test(`assignment version ${version}: decode(encode(a)) == a`, () => {
      fc.assert(
        fc.property(wireOrdered(version), (assignment) => {
          expect(decodeAssignment(encodeAssignment(assignment), version)).toEqual(assignment);
        }),
      );
    });

    test(`metadata version ${version}: decode(encode(s)) == s (version 0 carries no assignment)`, () => {
      fc.assert(
        fc.property(fc.webUrl(), offset, fc.option(wireOrdered(2), { nil: null }), (url, configOffset, assignment) => {
          const state: WorkerState = { url, configOffset, assignment };
          const back = decodeWorkerState(encodeWorkerState(state, version), version);
          const expected = version === 0 || assignment === null ? null : { ...assignment, version };
          expect(back).toEqual({ url, configOffset, assignment: expected });
        }),
      );
    });
  }

  test("any assignment's bytes are stable: encode(decode(encode(a))) == encode(a)", () => {
    fc.assert(
      fc.property(
        fc.record({
          version: fc.constantFrom(0, 1, 2),
          connectors: fc.array(name, { maxLength: 20 }),
          tasks: fc.array(taskId, { maxLength: 20 }),
          revokedConnectors: fc.array(name, { maxLength: 5 }),
          revokedTasks: fc.array(taskId, { maxLength: 5 }),
        }),
        (r) => {
          const assignment: ConnectAssignment = {
            ...r,
            error: 0,
            leader: "l",
            leaderUrl: "u",
            configOffset: 3,
            delay: 9,
          };
          const once = encodeAssignment(assignment);
          const decoded = decodeAssignment(once, r.version);
          // Every assigned connector and task survives (connectors deduplicated, as Java's HashSet does).
          expect(new Set(decoded.connectors)).toEqual(new Set(r.connectors));
          expect(decoded.tasks.length).toBe(r.tasks.length);
          expect(hex(encodeAssignment(decoded))).toBe(hex(once));
        },
      ),
    );
  });
});

describe("JDK HashSet order", () => {
  test("String.hashCode matches Java's for known values", () => {
    // Values Java gives: "hello".hashCode() == 99162322, "polygenelubricants".hashCode() == Integer.MIN_VALUE
    expect(javaStringHashCode("hello")).toBe(99162322);
    expect(javaStringHashCode("")).toBe(0);
    expect(javaStringHashCode("polygenelubricants")).toBe(-2147483648);
  });
});

describe("bad input", () => {
  const valid = encodeAssignment({
    version: 1,
    error: 0,
    leader: "leader",
    leaderUrl: "http://l:1/",
    configOffset: 5,
    connectors: ["a"],
    tasks: [{ connector: "a", task: 0 }],
    revokedConnectors: [],
    revokedTasks: [],
    delay: 0,
  });

  test("a negative version is refused", () => {
    const bytes = Buffer.from(valid);
    bytes.writeInt16BE(-1, 0);
    expect(() => decodeAssignment(bytes, 1)).toThrow("Unsupported subscription version: -1");
    expect(() => decodeWorkerState(bytes, 1)).toThrow(ConnectProtocolError);
  });

  test("a truncated string names the field", () => {
    expect(() => decodeAssignment(valid.subarray(0, 8), 1)).toThrow(
      "Error reading field 'leader': Error reading string of length 6, only 2 bytes available",
    );
  });

  test("no bytes after the version: a missing required field", () => {
    expect(() => decodeAssignment(valid.subarray(0, 2), 1)).toThrow(
      "Error reading field 'error': Missing value for field 'error' which has no default value.",
    );
    expect(() => decodeAssignment(valid.subarray(0, 2), 0)).toThrow("Error reading field 'error'");
  });

  test("an empty buffer has no version", () => {
    expect(() => decodeWorkerState(new Uint8Array(0), 0)).toThrow("Error reading field 'version'");
  });

  test("version 1+ readers tolerate missing trailing fields; revoked and delay default", () => {
    // Cut after the assignment array: revoked and delay are absent.
    const withoutTail = valid.subarray(0, valid.length - 8);
    const decoded = decodeAssignment(withoutTail, 1);
    expect(decoded.revokedConnectors).toEqual([]);
    expect(decoded.delay).toBe(0);
    expect(decoded.tasks).toEqual([{ connector: "a", task: 0 }]);
  });

  test("a negative array size in a non-nullable array is refused", () => {
    const bytes = Buffer.from(valid);
    // The tasks array of the first connector entry: version(2) error(2) leader(8) url(13) offset(8) count(4) name(3)
    bytes.writeInt32BE(-2, 2 + 2 + 8 + 13 + 8 + 4 + 3);
    expect(() => decodeAssignment(bytes, 1)).toThrow("Array size -2 cannot be negative");
  });

  test("an array longer than the bytes left is refused", () => {
    const bytes = Buffer.from(valid);
    bytes.writeInt32BE(1000, 2 + 2 + 8 + 13 + 8);
    expect(() => decodeAssignment(bytes, 1)).toThrow("Error reading array of size 1000");
  });

  test("offsets beyond 2^53 and over-long strings are refused when writing", () => {
    const state = { url: "u", configOffset: 2 ** 60, assignment: null };
    expect(() => encodeWorkerState(state, 0)).toThrow("is not a safe integer");
    expect(() => encodeWorkerState({ ...state, configOffset: 0, url: "x".repeat(40000) }, 0)).toThrow(
      "String length 40000 is larger than the maximum string length.",
    );
  });

  test("protocol names and modes", () => {
    expect(connectProtocolMode("SESSIONED")).toBe("sessioned");
    expect(() => connectProtocolMode("fancy")).toThrow("Unknown Connect protocol compatibility mode: fancy");
    expect(connectProtocolByName("default").version).toBe(0);
    expect(() => connectProtocolByName("range")).toThrow(
      "Not found Connect protocol compatibility mode for protocol: range",
    );
    expect(offeredConnectProtocols("compatible").map((p) => p.name)).toEqual(["compatible", "default"]);
    expect(offeredConnectProtocols("eager").map((p) => p.name)).toEqual(["default"]);
  });
});
