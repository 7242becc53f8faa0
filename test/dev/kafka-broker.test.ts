import { afterAll, describe, expect, test } from "bun:test";
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { TCPSocketListener } from "bun";
import { ConnectError } from "../../src/api/errors.ts";
import type { BrokerLayout } from "../../src/dev/kafka-broker.ts";
import {
  assertPortFree,
  brokerLayout,
  brokerStatus,
  ensureBroker,
  isKafkaAnswering,
  newClusterId,
  stopBroker,
} from "../../src/dev/kafka-broker.ts";
import { probeKafka } from "../../src/dev/kafka-probe.ts";
import { BOOTSTRAP, uniqueTopic } from "../harness.ts";

const temps: string[] = [];
function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), "sluice-broker-test-"));
  temps.push(dir);
  return dir;
}
const privateLayouts: BrokerLayout[] = [];
afterAll(async () => {
  // A test that failed half-way must not leave a broker running.
  for (const layout of privateLayouts) await stopBroker(layout).catch(() => undefined);
  for (const dir of temps) rmSync(dir, { recursive: true, force: true });
});

/** A TCP server on a free loopback port that answers every request with `reply` (or nothing). */
function fakeServer(reply?: string): TCPSocketListener<undefined> {
  return Bun.listen({
    hostname: "127.0.0.1",
    port: 0,
    socket: {
      data(socket) {
        if (reply !== undefined) socket.write(reply);
      },
    },
  });
}

/** A port that nothing listens on (bound, then released). */
function closedPort(): number {
  const server = fakeServer();
  const port = server.port;
  server.stop(true);
  return port;
}

/** The layout of a throw-away broker on free ports, sharing the development broker's jars. */
function privateLayout(): BrokerLayout {
  const shared = brokerLayout();
  const layout = brokerLayout(tempDir(), { port: closedPort(), controllerPort: closedPort() });
  const own = { ...layout, libs: shared.libs, libsMarker: shared.libsMarker };
  privateLayouts.push(own);
  return own;
}

/** A stand-in for `java`: `script` is the body of a shell script that receives the JVM's arguments. */
function withFakeJava<T>(script: string, fn: () => Promise<T>): Promise<T> {
  const home = tempDir();
  mkdirSync(join(home, "bin"));
  writeFileSync(join(home, "bin", "java"), `#!/bin/sh\n${script}\n`);
  chmodSync(join(home, "bin", "java"), 0o755);
  const saved = process.env.JAVA_HOME;
  process.env.JAVA_HOME = home;
  return fn().finally(() => {
    if (saved === undefined) delete process.env.JAVA_HOME;
    else process.env.JAVA_HOME = saved;
  });
}

describe("the development broker", () => {
  test("answers real Kafka requests at 127.0.0.1:9092", async () => {
    expect(BOOTSTRAP).toBe("127.0.0.1:9092");
    expect(await isKafkaAnswering("127.0.0.1", 9092, 5000)).toBe(true);
    const probe = await probeKafka("127.0.0.1", 9092, 5000);
    expect(probe?.brokerCount).toBe(1);
    expect(probe?.apiVersions.has(0)).toBe(true); // Produce
  });

  test("brokerStatus reports it running, with its pid and log", async () => {
    const status = await brokerStatus();
    expect(status.running).toBe(true);
    expect(status.bootstrap).toBe(BOOTSTRAP);
    expect(status.pid).toBeGreaterThan(0);
    expect(existsSync(status.logFile)).toBe(true);
  });

  test("ensureBroker returns at once when the broker runs", async () => {
    const started = performance.now();
    const info = await ensureBroker({ quiet: true });
    expect(info.startedNow).toBe(false);
    expect(info.bootstrap).toBe(BOOTSTRAP);
    expect(performance.now() - started).toBeLessThan(2000);
  });
});

describe("isKafkaAnswering", () => {
  test("is false where nothing listens", async () => {
    expect(await isKafkaAnswering("127.0.0.1", closedPort(), 1000)).toBe(false);
  });

  test("is false for a server that speaks another protocol", async () => {
    const server = fakeServer("HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n");
    try {
      expect(await isKafkaAnswering("127.0.0.1", server.port, 1000)).toBe(false);
    } finally {
      server.stop(true);
    }
  });

  test("is false for a server that never answers, within the timeout", async () => {
    const server = fakeServer();
    try {
      const started = performance.now();
      expect(await isKafkaAnswering("127.0.0.1", server.port, 300)).toBe(false);
      expect(performance.now() - started).toBeLessThan(1500);
    } finally {
      server.stop(true);
    }
  });
});

describe("assertPortFree", () => {
  test("passes on a free port", async () => {
    await assertPortFree("127.0.0.1", closedPort());
  });

  test("fails, naming the port, when another process holds it", async () => {
    const server = fakeServer();
    try {
      const error = await assertPortFree("127.0.0.1", server.port).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ConnectError);
      expect((error as ConnectError).code).toBe("KAFKA_PORT_IN_USE");
      expect((error as ConnectError).message).toContain(`127.0.0.1:${server.port}`);
    } finally {
      server.stop(true);
    }
  });
});

describe("a broker of its own (other ports and folders)", () => {
  test("starts once for concurrent callers, answers, reports status and stops", async () => {
    const layout = privateLayout();
    // Two callers at once (as two test runs would be): one starts it, the other waits on the lock and finds it.
    const [first, second] = await Promise.all([
      ensureBroker({ layout, quiet: true }),
      ensureBroker({ layout, quiet: true }),
    ]);
    try {
      expect([first.startedNow, second.startedNow].sort()).toEqual([false, true]);
      expect(first.pid).toBe(second.pid as number);
      expect(await isKafkaAnswering(layout.host, layout.port, 5000)).toBe(true);
      const status = await brokerStatus(layout);
      expect(status).toMatchObject({ running: true, pid: first.pid, bootstrap: layout.bootstrap });

      // Without its pid file, the broker is not ours to stop.
      const pidFile = readFileSync(layout.pidFile, "utf8");
      rmSync(layout.pidFile);
      const error = await stopBroker(layout).catch((e: unknown) => e);
      expect((error as ConnectError).code).toBe("KAFKA_NOT_MANAGED");
      writeFileSync(layout.pidFile, pidFile);
    } finally {
      expect(await stopBroker(layout)).toEqual({ wasRunning: true });
    }
    expect((await brokerStatus(layout)).running).toBe(false);
    expect(await stopBroker(layout)).toEqual({ wasRunning: false });
  }, 90_000);

  test("a broker process that runs but never answers is waited for, then killed", async () => {
    const layout = privateLayout();
    mkdirSync(layout.dataDir, { recursive: true });
    // Looks like our broker to the pid check (its command line names kafka.Kafka and our server.properties).
    const hung = Bun.spawn([
      process.execPath,
      "-e",
      "setTimeout(() => {}, 30_000)",
      "kafka.Kafka",
      layout.serverProperties,
    ]);
    writeFileSync(layout.pidFile, `${hung.pid}\n`);
    const error = await ensureBroker({ layout, quiet: true, timeoutMs: 800 }).catch((e: unknown) => e);
    expect((error as ConnectError).code).toBe("KAFKA_START_TIMEOUT");
    expect(await hung.exited).not.toBe(0);
    expect(existsSync(layout.pidFile)).toBe(false);
  });

  test("a failing storage format is reported with the log's tail", async () => {
    const layout = privateLayout();
    const error = await withFakeJava('echo "format: disk on fire" >&2; exit 3', () =>
      ensureBroker({ layout, quiet: true }).catch((e: unknown) => e),
    );
    expect(error).toBeInstanceOf(ConnectError);
    expect((error as ConnectError).code).toBe("KAFKA_FORMAT_FAILED");
    expect((error as ConnectError).message).toContain("disk on fire");
    expect((error as ConnectError).message).toContain(layout.logFile);
  });

  test("a broker that dies at startup is reported with its root cause", async () => {
    const layout = privateLayout();
    const script = 'echo "Caused by: java.net.BindException: Address already in use"; exit 1';
    // Formatted already, so the fake java is only asked to run the broker.
    mkdirSync(layout.logDirs, { recursive: true });
    writeFileSync(join(layout.logDirs, "meta.properties"), "");
    const error = await withFakeJava(script, () => ensureBroker({ layout, quiet: true }).catch((e: unknown) => e));
    expect(error).toBeInstanceOf(ConnectError);
    expect((error as ConnectError).code).toBe("KAFKA_START_FAILED");
    expect((error as ConnectError).message).toContain("exited during startup");
    expect((error as ConnectError).message).toContain("BindException");
    expect(existsSync(layout.pidFile)).toBe(false);
  });

  test("a broker that never answers is killed after the timeout", async () => {
    const layout = privateLayout();
    mkdirSync(layout.logDirs, { recursive: true });
    writeFileSync(join(layout.logDirs, "meta.properties"), "");
    const error = await withFakeJava("echo still thinking; exec sleep 60", () =>
      ensureBroker({ layout, quiet: true, timeoutMs: 1000 }).catch((e: unknown) => e),
    );
    expect(error).toBeInstanceOf(ConnectError);
    expect((error as ConnectError).code).toBe("KAFKA_START_TIMEOUT");
    expect((error as ConnectError).message).toContain("still thinking");
    expect(existsSync(layout.pidFile)).toBe(false);
  });

  test("missing java names the apt package", async () => {
    const layout = privateLayout();
    const saved = { path: process.env.PATH, javaHome: process.env.JAVA_HOME };
    process.env.PATH = tempDir();
    delete process.env.JAVA_HOME;
    try {
      const error = await ensureBroker({ layout, quiet: true }).catch((e: unknown) => e);
      expect((error as ConnectError).code).toBe("COMMAND_MISSING");
      expect((error as ConnectError).message).toContain("apt-get install -y openjdk-17-jre-headless");
    } finally {
      process.env.PATH = saved.path;
      if (saved.javaHome !== undefined) process.env.JAVA_HOME = saved.javaHome;
    }
  });
});

test("a new cluster id is 22 base64url characters and never starts with '-' (the storage tool takes it for an option)", () => {
  const ids = Array.from({ length: 5000 }, () => newClusterId());
  for (const id of ids) expect(id).toMatch(/^[A-Za-z0-9_][A-Za-z0-9_-]{21}$/);
  expect(new Set(ids).size).toBe(ids.length);
});

test("uniqueTopic gives distinct, legal topic names", () => {
  const a = uniqueTopic("orders in/out");
  const b = uniqueTopic("orders in/out");
  expect(a).not.toBe(b);
  expect(a).toMatch(/^orders-in-out-[a-zA-Z0-9._-]+$/);
});
