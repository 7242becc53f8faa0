import { describe, expect, test } from "bun:test";
import {
  ConfigError,
  type Connector,
  type PluginManifest,
  SinkConnector,
  type SinkRecord,
  type SinkTask,
  SourceConnector,
  type SourceRecord,
  type SourceTask,
  validateValue,
} from "../index.ts";
import { withDeadline } from "./deadlines.ts";
import { roundTripTestTimeout, type SinkRoundTripOptions, type SourceRoundTripOptions } from "./round-trip-options.ts";
import { sinkRoundTrip } from "./sink-round-trip.ts";
import { sourceRoundTrip } from "./source-round-trip.ts";
import { connectorContext, sinkTaskContext, sourceTaskContext } from "./task-contexts.ts";

export interface ConnectorConformanceOptions {
  /**
   * A configuration the connector and its tasks start with. For a source, the task's first poll may return
   * records; the second poll should either return records or wait (the suite stops the task during it).
   */
  readonly validConfig: Readonly<Record<string, string>>;
  /** The keys without a default: exactly these must be reported by `validate({})`. */
  readonly requiredKeys: readonly string[];
  /** Tells runs of one manifest apart, e.g. "bounded sequence". */
  readonly label?: string;
  /** Records to `put` into a sink task (default: none, which still exercises the lifecycle). */
  readonly sinkRecords?: readonly SinkRecord[];
  /**
   * Also run the connector through a real standalone worker and Kafka broker, its plugin on `plugin.path`
   * (sourceRoundTrip, sinkRoundTrip). A sink's needs `readBack`.
   */
  readonly roundTrip?: SourceRoundTripOptions | SinkRoundTripOptions;
}

const CONFIG_TYPES = ["boolean", "string", "int", "short", "long", "double", "list", "class", "password"];
const IMPORTANCES = ["high", "medium", "low"];
/** How soon a poll pending at `stop()` must settle; Kafka's own tasks back off up to a second, ours cut it short. */
const STOP_LATENCY_MS = 500;

type ConnectorManifest = Extract<PluginManifest, { type: "source" | "sink" }>;

/**
 * The checks every connector plugin passes: a well-formed manifest, documented configuration, Kafka's validation
 * and lifecycle contract, and tasks that start, run and stop cleanly, also when stopped during a pending poll;
 * with `roundTrip`, records through a real worker and broker too. Call it at the top level of a test file, once
 * per connector manifest (and configuration).
 */
export function runConnectorConformance(plugin: PluginManifest, options: ConnectorConformanceOptions): void {
  if (plugin.type !== "source" && plugin.type !== "sink") {
    throw new Error(`${plugin.className} is a ${plugin.type}, not a connector`);
  }
  const manifest: ConnectorManifest = plugin;
  const label = options.label ? ` (${options.label})` : "";
  describe(`${manifest.className} conformance${label}`, () => {
    test("the manifest names a source or sink class, its aliases and a version", () => {
      expect(["source", "sink"]).toContain(manifest.type);
      expect(manifest.className).toMatch(/^[A-Za-z_$][\w$]*(\.[A-Za-z_$][\w$]*)+$/);
      const aliases = manifest.aliases ?? [];
      expect(new Set(aliases).size).toBe(aliases.length);
      for (const alias of aliases) {
        expect(alias.trim()).toBe(alias);
        expect(alias.length).toBeGreaterThan(0);
        expect(alias).not.toBe(manifest.className);
      }
      expect(typeof manifest.version).toBe("string");
      expect(manifest.version.length).toBeGreaterThan(0);
    });

    test("create() returns a new connector of the manifest's type each time, reporting the manifest's version", () => {
      const connector = connectorOf(manifest);
      expect(connectorOf(manifest)).not.toBe(connector);
      expect(connector).toBeInstanceOf(manifest.type === "source" ? SourceConnector : SinkConnector);
      expect(connector.version()).toBe(manifest.version);
    });

    test("config() documents every key with a known type and importance", () => {
      const keys = [...connectorOf(manifest).config().configKeys().values()];
      expect(keys.length).toBeGreaterThan(0);
      for (const key of keys) {
        expect({ key: key.name, documented: key.documentation.trim().length > 0 }).toEqual({
          key: key.name,
          documented: true,
        });
        expect(CONFIG_TYPES).toContain(key.type);
        expect(IMPORTANCES).toContain(key.importance);
      }
    });

    test("validate({}) reports exactly the required keys, each by name", () => {
      const connector = connectorOf(manifest);
      const withoutDefault = [...connector.config().configKeys().values()]
        .filter((key) => !("defaultValue" in key))
        .map((key) => key.name);
      const required = [...options.requiredKeys].sort();
      expect(withoutDefault.sort(), "config() should define exactly the required keys without a default").toEqual(
        required,
      );
      const failing = connector.validate({}).filter((value) => value.errors.length > 0);
      expect(
        failing.map((value) => value.name).sort(),
        `validate({}) should report an error on each required key (${required.join(", ")}) and on no other`,
      ).toEqual(required);
      for (const value of failing) {
        expect(value.errors.join(" "), `validate({})'s error on ${value.name} should name it`).toContain(value.name);
      }
    });

    test("validate() accepts the valid configuration", () => {
      const errors = connectorOf(manifest)
        .validate(options.validConfig)
        .flatMap((value) => value.errors.map((error) => `${value.name}: ${error}`));
      expect(errors, "validate() should report no error on the valid configuration").toEqual([]);
    });

    test("start() refuses a configuration without a required key, with a ConfigError naming it", async () => {
      for (const key of options.requiredKeys) {
        const { [key]: _removed, ...config } = options.validConfig;
        const connector = connectorOf(manifest);
        const error = await captureError(() => connector.start(config));
        expect(error, `start() without ${key} should throw a ConfigError`).toBeInstanceOf(ConfigError);
        expect((error as ConfigError).key, `start()'s ConfigError should name ${key} as its key`).toBe(key);
      }
    });

    test("taskConfigs(n) returns between 1 and n configurations of strings", async () => {
      const connector = connectorOf(manifest);
      await connector.start(options.validConfig);
      for (const maxTasks of [1, 2, 3, 8]) {
        const configs = await connector.taskConfigs(maxTasks);
        expect(configs.length).toBeGreaterThanOrEqual(1);
        expect(configs.length).toBeLessThanOrEqual(maxTasks);
        for (const config of configs) {
          for (const value of Object.values(config)) expect(typeof value).toBe("string");
        }
      }
      await connector.stop();
    });

    if (manifest.type === "source") sourceTaskConformance(manifest, options);
    else sinkTaskConformance(manifest, options);
    if (options.roundTrip) roundTripConformance(manifest, options.roundTrip);
  });
}

function roundTripConformance(
  manifest: ConnectorManifest,
  roundTrip: SourceRoundTripOptions | SinkRoundTripOptions,
): void {
  if (manifest.type === "source") {
    const resumes =
      "resume" in roundTrip && roundTrip.resume === false ? "" : ", and a restarted one resumes from its offsets";
    test(
      `a real worker runs it from plugin.path into a fresh topic${resumes}`,
      async () => {
        await sourceRoundTrip(manifest, roundTrip);
      },
      roundTripTestTimeout(roundTrip),
    );
    return;
  }
  if (!("readBack" in roundTrip)) {
    throw new Error(`${manifest.className} is a sink: its roundTrip needs readBack(), what the sink wrote`);
  }
  test(
    "a real worker runs it from plugin.path on records produced to a fresh topic, and every one arrives",
    async () => {
      await sinkRoundTrip(manifest, roundTrip);
    },
    roundTripTestTimeout(roundTrip),
  );
}

function sourceTaskConformance(manifest: ConnectorManifest, options: ConnectorConformanceOptions): void {
  async function startedTask(): Promise<SourceTask> {
    const connector = connectorOf(manifest) as SourceConnector;
    await connector.start(options.validConfig);
    const [config] = await connector.taskConfigs(1);
    const TaskClass = connector.taskClass();
    const task = new TaskClass();
    task.initialize(sourceTaskContext(config));
    await task.start(config ?? {});
    return task;
  }

  test("a source task starts, polls well-formed records and stops", async () => {
    const task = await startedTask();
    expect(task.version().length).toBeGreaterThan(0);
    const records = await task.poll();
    for (const record of records ?? []) expectWellFormedSourceRecord(record);
    await task.stop();
  });

  test("stop() during a pending poll makes that poll, and any later one, return promptly", async () => {
    const task = await startedTask();
    await task.poll();
    const pending = Promise.resolve(task.poll());
    await Bun.sleep(100);
    const stoppedAt = performance.now();
    await task.stop();
    const result = await withDeadline(pending, STOP_LATENCY_MS, "the poll pending at stop()");
    expect(performance.now() - stoppedAt).toBeLessThan(STOP_LATENCY_MS);
    for (const record of result ?? []) expectWellFormedSourceRecord(record);
    await withDeadline(Promise.resolve(task.poll()), STOP_LATENCY_MS, "a poll after stop()");
  });
}

function sinkTaskConformance(manifest: ConnectorManifest, options: ConnectorConformanceOptions): void {
  test("a sink task goes through open, put, flush, preCommit, close and stop", async () => {
    const connector = connectorOf(manifest) as SinkConnector;
    await connector.start(options.validConfig);
    const [config] = await connector.taskConfigs(1);
    const TaskClass = connector.taskClass();
    const task: SinkTask = new TaskClass();
    const partitions = [{ topic: "conformance", partition: 0 }];
    task.initialize(sinkTaskContext(config, partitions));
    await task.start(config ?? {});
    expect(task.version().length).toBeGreaterThan(0);
    await task.open(partitions);
    await task.put([]);
    await task.put(options.sinkRecords ?? []);
    const offsets = [{ topic: "conformance", partition: 0, offset: (options.sinkRecords?.length ?? 0) + 1 }];
    await task.flush(offsets);
    expect(await task.preCommit(offsets)).toEqual(offsets);
    await task.close(partitions);
    await task.stop();
  });
}

/** A new connector of the manifest, initialized as the runtime does before `start` (offsets from memory). */
function connectorOf(manifest: PluginManifest): Connector {
  const connector = manifest.create() as Connector;
  connector.initialize(connectorContext());
  return connector;
}

/** Offsets are stored as JSON by the runtime: string keys and primitive values only. */
function expectWellFormedSourceRecord(record: SourceRecord): void {
  expect(typeof record.topic).toBe("string");
  expect(record.topic.length).toBeGreaterThan(0);
  for (const map of [record.sourcePartition, record.sourceOffset]) {
    for (const value of Object.values(map ?? {})) {
      expect(value === null || ["string", "number", "boolean"].includes(typeof value)).toBe(true);
    }
  }
  if (record.keySchema) validateValue(record.keySchema, record.key, "key");
  if (record.valueSchema) validateValue(record.valueSchema, record.value, "value");
}

async function captureError(run: () => unknown): Promise<unknown> {
  try {
    await run();
  } catch (error) {
    return error;
  }
  return undefined;
}
