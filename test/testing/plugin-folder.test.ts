/**
 * A round trip whose plugin.path would not give the worker the connector fails before any worker starts, saying
 * what the folder holds instead of the worker's list of every connector it knows.
 */
import { describe, expect, test } from "bun:test";
import { join } from "node:path";
import type { SinkConnector } from "../../src/index.ts";
import { RoundTripFailure, sinkRoundTrip } from "../../src/testing/index.ts";

const FIXTURES = join(import.meta.dir, "..", "runtime", "fixtures");

const elsewhere = {
  type: "sink" as const,
  className: "com.example.NotInTheFolder",
  version: "1.0.0",
  create: () => ({}) as SinkConnector,
};

function run(pluginPath: string): Promise<unknown> {
  return sinkRoundTrip(elsewhere, { pluginPath, config: () => ({}), readBack: () => [] }).catch((error) => error);
}

describe("the round trip's plugin folder", () => {
  test("a folder whose manifests lack the connector is named, with the connectors it does export", async () => {
    const error = await run(join(FIXTURES, "external-plugin"));
    expect(error).toBeInstanceOf(RoundTripFailure);
    expect((error as Error).message).toContain("com.example.NotInTheFolder");
    expect((error as Error).message).toContain("it exports com.example.CounterConnector");
  });

  test("a path that is not a folder says so", async () => {
    const error = await run(join(FIXTURES, "does-not-exist"));
    expect(error).toBeInstanceOf(RoundTripFailure);
    expect((error as Error).message).toContain("is not a folder");
  });
});
