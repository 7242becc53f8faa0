import { afterAll, describe, expect, spyOn, test } from "bun:test";
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { TCPSocketListener } from "bun";
import { freePort } from "../../bench/connect/worker-process.ts";
import { ConnectError } from "../../src/api/errors.ts";
import { isProcessAlive } from "../../src/dev/external-programs.ts";
import type { RegistryLayout } from "../../src/dev/schema-registry.ts";
import {
  ensureSchemaRegistry,
  isRegistryAnswering,
  registryLayout,
  runRegistryCommand,
  SCHEMA_REGISTRY_URL,
  schemaRegistryStatus,
  stopSchemaRegistry,
} from "../../src/dev/schema-registry.ts";
import { setGlobalCompatibility } from "../../src/dev/schema-registry-http.ts";
import { recipeId } from "../../src/dev/schema-registry-layout.ts";
import { SCHEMA_REGISTRY_URL as HARNESS_URL, useSchemaRegistry } from "../harness.ts";

const temps: string[] = [];
function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), "sluice-registry-test-"));
  temps.push(dir);
  return dir;
}
const privateLayouts: RegistryLayout[] = [];
afterAll(async () => {
  // A test that failed half-way must not leave a registry running.
  for (const layout of privateLayouts) await stopSchemaRegistry(layout).catch(() => undefined);
  for (const dir of temps) rmSync(dir, { recursive: true, force: true });
});

/** A throw-away registry on a free port with a database of its own, sharing the development registry's build. */
async function privateLayout(): Promise<RegistryLayout> {
  const layout = { ...registryLayout(tempDir(), await freePort()), build: registryLayout().build };
  privateLayouts.push(layout);
  return layout;
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

/** A layout whose "build" is a file that only has to exist: for the tests where a fake java runs it. */
function fakeBuildLayout(layout: RegistryLayout): RegistryLayout {
  const home = tempDir();
  const build = { ...layout.build, home, app: home, runJar: join(home, "quarkus-run.jar"), marker: join(home, "m") };
  writeFileSync(build.runJar, "");
  writeFileSync(build.marker, recipeId());
  return { ...layout, build: { ...build, lockFile: join(home, "build.lock"), log: join(home, "build.log") } };
}

const JSON_TYPE = { "content-type": "application/vnd.schemaregistry.v1+json" };

async function request(url: string, method = "GET", body?: unknown): Promise<{ status: number; body: unknown }> {
  const response = await fetch(url, {
    method,
    headers: JSON_TYPE,
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: response.status, body: await response.json() };
}

function avroRecord(fields: object[]): string {
  return JSON.stringify({ type: "record", name: "Order", namespace: "sluice.test", fields });
}

/** The console output of runRegistryCommand. */
async function runCommand(args: string[], layout: RegistryLayout): Promise<{ code: number; out: string }> {
  const lines: string[] = [];
  const log = spyOn(console, "log").mockImplementation((line: string) => lines.push(line));
  try {
    return { code: await runRegistryCommand(args, layout), out: lines.join("\n") };
  } finally {
    log.mockRestore();
  }
}

describe("a registry of its own (another port and database)", () => {
  test("status of a stopped registry says so, with its URL", async () => {
    const layout = await privateLayout();
    expect(await schemaRegistryStatus(layout)).toEqual({
      running: false,
      pid: undefined,
      url: `http://127.0.0.1:${layout.port}/apis/ccompat/v7`,
      logFile: layout.logFile,
      dataDir: layout.dataDir,
    });
    const { code, out } = await runCommand(["status"], layout);
    expect(code).toBe(1);
    expect(out).toContain("Schema Registry: stopped");
    expect(out).toContain(`url: ${layout.url}`);
    expect(out).toContain("pid: -");
    expect(await stopSchemaRegistry(layout)).toEqual({ wasRunning: false });
  });

  test("starts once for concurrent callers; BACKWARD; schema ids survive a stop and start", async () => {
    const layout = await privateLayout();
    // Two callers at once (as two test runs would be): one starts it, the other waits on the lock and finds it.
    const [first, second] = await Promise.all([
      ensureSchemaRegistry({ layout, quiet: true }),
      ensureSchemaRegistry({ layout, quiet: true }),
    ]);
    expect([first.startedNow, second.startedNow].sort()).toEqual([false, true]);
    expect(first.pid).toBeGreaterThan(0);
    expect(second.pid).toBe(first.pid as number);
    const { code, out } = await runCommand(["status"], layout);
    expect(code).toBe(0);
    expect(out).toContain("Schema Registry: running");
    expect(out).toContain(`pid: ${first.pid}`);

    // Confluent's default, not Apicurio's NONE: an incompatible change is refused.
    expect(await request(`${layout.url}/config`)).toEqual({ status: 200, body: { compatibilityLevel: "BACKWARD" } });
    const v1 = avroRecord([{ name: "id", type: "long" }]);
    const registered = await request(`${layout.url}/subjects/orders-value/versions`, "POST", { schema: v1 });
    expect(registered.status).toBe(200);
    const id = (registered.body as { id: number }).id;
    expect(id).toBeGreaterThan(0);
    const incompatible = avroRecord([
      { name: "id", type: "long" },
      { name: "note", type: "string" },
    ]);
    const refused = await request(`${layout.url}/subjects/orders-value/versions`, "POST", { schema: incompatible });
    expect(refused.status).toBe(409);

    expect(await stopSchemaRegistry(layout)).toEqual({ wasRunning: true });
    expect(await isRegistryAnswering(layout.url)).toBe(false);
    expect((await schemaRegistryStatus(layout)).pid).toBeUndefined();

    const again = await runCommand(["start"], layout);
    expect(again.code).toBe(0);
    expect(again.out).toStartWith(`Schema Registry at ${layout.url} (pid `);
    expect(again.out).toContain(`log: ${layout.logFile}`);
    expect((await schemaRegistryStatus(layout)).pid).not.toBe(first.pid as number);
    expect(await request(`${layout.url}/schemas/ids/${id}`)).toMatchObject({ status: 200, body: { schema: v1 } });
    // The same schema registered again keeps its id; the lookup finds it.
    expect(await request(`${layout.url}/subjects/orders-value/versions`, "POST", { schema: v1 })).toEqual({
      status: 200,
      body: { id },
    });
    expect(await request(`${layout.url}/subjects/orders-value`, "POST", { schema: v1 })).toMatchObject({
      status: 200,
      body: { id, version: 1 },
    });

    // A start interrupted (Ctrl-C) after the registry came up but before it was set to BACKWARD: the next start
    // finds it running and sets it.
    expect((await request(`${layout.url}/config`, "PUT", { compatibility: "NONE" })).status).toBe(200);
    rmSync(layout.compatibilityMarker);
    expect((await ensureSchemaRegistry({ layout, quiet: true })).startedNow).toBe(false);
    expect((await request(`${layout.url}/config`)).body).toEqual({ compatibilityLevel: "BACKWARD" });

    // A registry that is killed (SIGKILL, out of memory) right after answering a register keeps that schema too.
    const v2 = avroRecord([
      { name: "id", type: "long" },
      { name: "note", type: "string", default: "" },
    ]);
    const compatible = await request(`${layout.url}/subjects/orders-value/versions`, "POST", { schema: v2 });
    expect(compatible.status).toBe(200);
    const killed = (await schemaRegistryStatus(layout)).pid as number;
    process.kill(killed, "SIGKILL");
    while (isProcessAlive(killed)) await Bun.sleep(50);
    expect((await ensureSchemaRegistry({ layout, quiet: true })).startedNow).toBe(true);
    expect(await request(`${layout.url}/schemas/ids/${(compatible.body as { id: number }).id}`)).toMatchObject({
      status: 200,
      body: { schema: v2 },
    });

    // Without its pid file, the registry is not ours to stop.
    const pidFile = readFileSync(layout.pidFile, "utf8");
    rmSync(layout.pidFile);
    const error = await stopSchemaRegistry(layout).catch((e: unknown) => e);
    expect((error as ConnectError).code).toBe("REGISTRY_NOT_MANAGED");
    writeFileSync(layout.pidFile, pidFile);

    const stopped = await runCommand(["stop"], layout);
    expect(stopped.code).toBe(0);
    expect(await isRegistryAnswering(layout.url)).toBe(false);
  }, 300_000);

  test("a port held by something that is not a registry is named, with how to find who holds it", async () => {
    const layout = await privateLayout();
    const server: TCPSocketListener<undefined> = Bun.listen({
      hostname: "127.0.0.1",
      port: layout.port,
      socket: { data() {} },
    });
    try {
      const error = await ensureSchemaRegistry({ layout, quiet: true }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ConnectError);
      expect((error as ConnectError).code).toBe("REGISTRY_PORT_IN_USE");
      expect((error as ConnectError).message).toContain(`127.0.0.1:${layout.port} is in use`);
      expect((error as ConnectError).message).toContain(`ss -ltnp 'sport = :${layout.port}'`);
      expect(existsSync(layout.pidFile)).toBe(false);
    } finally {
      server.stop(true);
    }
  });

  test("a registry started some other way is used, not restarted, and not stopped", async () => {
    const layout = await privateLayout();
    const server = Bun.serve({
      hostname: "127.0.0.1",
      port: layout.port,
      fetch: (req) =>
        new URL(req.url).pathname.endsWith("/subjects") ? Response.json([]) : new Response("", { status: 404 }),
    });
    try {
      expect(await ensureSchemaRegistry({ layout, quiet: true })).toEqual({
        url: layout.url,
        pid: undefined,
        logFile: layout.logFile,
        startedNow: false,
      });
      const error = await stopSchemaRegistry(layout).catch((e: unknown) => e);
      expect((error as ConnectError).code).toBe("REGISTRY_NOT_MANAGED");
      expect((error as ConnectError).message).toContain("sluice did not start it");
    } finally {
      server.stop(true);
    }
  });

  test("a registry that dies at startup is reported with its root cause and log", async () => {
    const layout = fakeBuildLayout(await privateLayout());
    const script =
      'echo "Caused by: org.h2.jdbc.JdbcSQLNonTransientConnectionException: Database may be already in use"; exit 1';
    const error = await withFakeJava(script, () =>
      ensureSchemaRegistry({ layout, quiet: true }).catch((e: unknown) => e),
    );
    expect(error).toBeInstanceOf(ConnectError);
    expect((error as ConnectError).code).toBe("REGISTRY_START_FAILED");
    expect((error as ConnectError).message).toContain("exited during startup");
    expect((error as ConnectError).message).toContain("Database may be already in use");
    expect((error as ConnectError).message).toContain(layout.logFile);
    expect(existsSync(layout.pidFile)).toBe(false);
  });

  test("a registry that never answers is killed after the timeout", async () => {
    const layout = fakeBuildLayout(await privateLayout());
    const error = await withFakeJava("echo still booting Quarkus; exec sleep 60", () =>
      ensureSchemaRegistry({ layout, quiet: true, timeoutMs: 1000 }).catch((e: unknown) => e),
    );
    expect((error as ConnectError).code).toBe("REGISTRY_START_TIMEOUT");
    expect((error as ConnectError).message).toContain("still booting Quarkus");
    expect(existsSync(layout.pidFile)).toBe(false);
  });

  test("a registry process that runs but never answers is waited for, then killed", async () => {
    const layout = await privateLayout();
    mkdirSync(layout.dataDir, { recursive: true });
    // Looks like this registry to the pid check (its command line names the registry's data folder).
    const hung = Bun.spawn([
      process.execPath,
      "-e",
      "setTimeout(() => {}, 30_000)",
      "--",
      `-Dsluice.registry.data=${layout.dataDir}`,
    ]);
    writeFileSync(layout.pidFile, `${hung.pid}\n`);
    const { code, out } = await runCommand(["status"], layout);
    expect(code).toBe(1);
    expect(out).toContain("Schema Registry: started but not answering");
    expect(out).toContain(`pid: ${hung.pid}`);
    const error = await ensureSchemaRegistry({ layout, quiet: true, timeoutMs: 800 }).catch((e: unknown) => e);
    expect((error as ConnectError).code).toBe("REGISTRY_START_TIMEOUT");
    expect(await hung.exited).not.toBe(0);
    expect(existsSync(layout.pidFile)).toBe(false);
  });

  test("a started registry that refuses the BACKWARD setting is stopped again, and the start fails", async () => {
    const layout = fakeBuildLayout(await privateLayout());
    // A "JVM" that serves the readiness probe but answers 503 to PUT /config.
    const server = join(tempDir(), "fake-registry.ts");
    writeFileSync(
      server,
      `const port = Number(process.argv.find((a) => a.startsWith("-Dquarkus.http.port="))?.split("=")[1]);
Bun.serve({ hostname: "127.0.0.1", port, fetch: (req) =>
  new URL(req.url).pathname.endsWith("/subjects") ? Response.json([]) : new Response("read-only mode", { status: 503 }) });`,
    );
    const error = await withFakeJava(`exec ${process.execPath} ${server} "$@"`, () =>
      ensureSchemaRegistry({ layout, quiet: true }).catch((e: unknown) => e),
    );
    expect((error as ConnectError).code).toBe("REGISTRY_CONFIG_FAILED");
    expect((error as ConnectError).message).toContain("compatibility to BACKWARD");
    expect((error as ConnectError).message).toContain("HTTP 503: read-only mode");
    expect(await isRegistryAnswering(layout.url)).toBe(false);
    expect(existsSync(layout.pidFile)).toBe(false);
  });

  test("missing java names the apt package, before any build", async () => {
    const layout = await privateLayout();
    const saved = { path: process.env.PATH, javaHome: process.env.JAVA_HOME };
    process.env.PATH = tempDir();
    delete process.env.JAVA_HOME;
    try {
      const error = await ensureSchemaRegistry({ layout, quiet: true }).catch((e: unknown) => e);
      expect((error as ConnectError).code).toBe("COMMAND_MISSING");
      expect((error as ConnectError).message).toContain("apt-get install -y openjdk-17-jre-headless");
    } finally {
      process.env.PATH = saved.path;
      if (saved.javaHome !== undefined) process.env.JAVA_HOME = saved.javaHome;
    }
  });

  test("a refused compatibility setting is an error naming the answer", async () => {
    const server = Bun.serve({
      hostname: "127.0.0.1",
      port: 0,
      fetch: () => new Response("read-only mode", { status: 503 }),
    });
    try {
      const error = await setGlobalCompatibility(`http://127.0.0.1:${server.port}/apis/ccompat/v7`).catch(
        (e: unknown) => e,
      );
      expect((error as ConnectError).code).toBe("REGISTRY_CONFIG_FAILED");
      expect((error as ConnectError).message).toContain("HTTP 503: read-only mode");
    } finally {
      server.stop(true);
    }
  });

  test("an unknown action prints the usage", async () => {
    const error = spyOn(console, "error").mockImplementation(() => {});
    try {
      expect(await runRegistryCommand(["restart"], await privateLayout())).toBe(1);
      expect(error).toHaveBeenCalledWith("usage: registry start|stop|status");
    } finally {
      error.mockRestore();
    }
  });
});

describe("the development registry", () => {
  useSchemaRegistry();

  test("answers Confluent's API at 127.0.0.1:8081 with BACKWARD compatibility", async () => {
    expect(SCHEMA_REGISTRY_URL).toBe("http://127.0.0.1:8081/apis/ccompat/v7");
    expect(HARNESS_URL).toBe(SCHEMA_REGISTRY_URL);
    expect(await isRegistryAnswering(SCHEMA_REGISTRY_URL)).toBe(true);
    expect(await request(`${SCHEMA_REGISTRY_URL}/config`)).toEqual({
      status: 200,
      body: { compatibilityLevel: "BACKWARD" },
    });
    const status = await schemaRegistryStatus();
    expect(status.running).toBe(true);
  });

  test("ensureSchemaRegistry returns at once when it runs", async () => {
    const started = performance.now();
    const info = await ensureSchemaRegistry({ quiet: true });
    expect(info.startedNow).toBe(false);
    expect(info.url).toBe(SCHEMA_REGISTRY_URL);
    expect(performance.now() - started).toBeLessThan(2000);
  });
});
