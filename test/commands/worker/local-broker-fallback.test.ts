import { describe, expect, test } from "bun:test";
import { ConnectError } from "../../../src/api/errors.ts";
import { type LocalBrokerDeps, withLocalBrokerFallback } from "../../../src/commands/worker/local-broker-fallback.ts";

// The real broker is shared by every test, so it cannot be stopped to exercise this path: the probe and the start
// are replaced, and the decision itself is what is tested.
function deps(answering: boolean, onBun = true): LocalBrokerDeps & { started: number } {
  const result = {
    onBun,
    started: 0,
    isKafkaAnswering: async () => answering,
    ensureBroker: async () => {
      result.started++;
    },
  };
  return result;
}

const worker = (props: Record<string, string>) => ({ props, source: "worker.properties" });

describe("the local broker fallback of `bun run worker`", () => {
  test("a configured bootstrap.servers is used as it is, whatever answers", async () => {
    const d = deps(false);
    const out = await withLocalBrokerFallback(worker({ "bootstrap.servers": "kafka:9092" }), d);
    expect(out.props["bootstrap.servers"]).toBe("kafka:9092");
    expect(d.started).toBe(0);
  });

  test("nothing configured and a Kafka on localhost:9092: Kafka's default is used", async () => {
    const d = deps(true);
    const out = await withLocalBrokerFallback(worker({}), d);
    expect(out.props["bootstrap.servers"]).toBeUndefined();
    expect(d.started).toBe(0);
  });

  test("nothing configured and nothing answering: the local broker is started and used", async () => {
    const d = deps(false);
    const out = await withLocalBrokerFallback(worker({}), d);
    expect(out.props["bootstrap.servers"]).toBe("127.0.0.1:9092");
    expect(d.started).toBe(1);
  });

  test("on Node.js it cannot start the broker, and says what to do", async () => {
    const error = await withLocalBrokerFallback(worker({}), deps(false, false)).catch((e) => e);
    expect(error).toBeInstanceOf(ConnectError);
    expect(error.message).toContain("bun run kafka start");
  });
});
