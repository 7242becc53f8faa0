import { afterAll, describe, expect, spyOn, test } from "bun:test";
import { appendFileSync, chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { freePort } from "../../bench/connect/worker-process.ts";
import { ConnectError } from "../../src/api/errors.ts";
import { isProcessAlive } from "../../src/dev/external-programs.ts";
import type { PostgresLayout } from "../../src/dev/postgres.ts";
import {
  ensurePostgres,
  isPostgresAnswering,
  POSTGRES_URL,
  postgresLayout,
  postgresStatus,
  runPostgresCommand,
  stopPostgres,
} from "../../src/dev/postgres.ts";
import { POSTGRES_URL as HARNESS_URL, usePostgres } from "../harness.ts";

const temps: string[] = [];
const privateLayouts: PostgresLayout[] = [];
afterAll(async () => {
  // A test that failed half-way must not leave a server running.
  for (const layout of privateLayouts) await stopPostgres(layout).catch(() => undefined);
  for (const dir of temps) rmSync(dir, { recursive: true, force: true });
});

/** A throw-away server on a free port in a folder of its own (which the postgres user must reach when root). */
async function privateLayout(): Promise<PostgresLayout> {
  const dir = mkdtempSync(join(tmpdir(), "sluice-postgres-test-"));
  chmodSync(dir, 0o755);
  temps.push(dir);
  const layout = postgresLayout(await freePort(), join(dir, "pg"));
  privateLayouts.push(layout);
  return layout;
}

async function failure(promise: Promise<unknown>): Promise<ConnectError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ConnectError);
  return error as ConnectError;
}

function quietly<T>(fn: () => Promise<T>): Promise<T> {
  const stderr = spyOn(process.stderr, "write").mockImplementation(() => true);
  const stdout = spyOn(console, "log").mockImplementation(() => {});
  return fn().finally(() => {
    stderr.mockRestore();
    stdout.mockRestore();
  });
}

describe("the development PostgreSQL", () => {
  test("the URL is the one the issue names, and the harness re-exports it", () => {
    expect(POSTGRES_URL).toBe("postgres://postgres@127.0.0.1:5432/postgres");
    expect(HARNESS_URL).toBe(POSTGRES_URL);
  });

  test("status of a stopped server says so, with its URL", async () => {
    const layout = await privateLayout();
    const status = await postgresStatus(layout);
    expect(status).toMatchObject({ running: false, pid: undefined, url: layout.url });
    const lines: string[] = [];
    const log = spyOn(console, "log").mockImplementation((line: string) => void lines.push(line));
    try {
      expect(await runPostgresCommand(["status"], layout)).toBe(1);
    } finally {
      log.mockRestore();
    }
    expect(lines.join("\n")).toContain("PostgreSQL: stopped");
    expect(lines.join("\n")).toContain(layout.url);
  });

  test("starts once for concurrent callers; logical decoding works; data survives a stop and start", async () => {
    const layout = await privateLayout();
    const [a, b] = await quietly(() => Promise.all([ensurePostgres({ layout }), ensurePostgres({ layout })]));
    expect([a.startedNow, b.startedNow].sort()).toEqual([false, true]);
    expect(a.pid).toBeDefined();
    expect(a.pid).toBe(b.pid as number);
    expect(isProcessAlive(a.pid as number)).toBe(true);

    const sql = new Bun.SQL(layout.url, { max: 1 });
    try {
      expect((await sql`show wal_level`)[0].wal_level).toBe("logical");
      expect(Number((await sql`show max_replication_slots`)[0].max_replication_slots)).toBeGreaterThanOrEqual(10);
      expect(Number((await sql`show max_wal_senders`)[0].max_wal_senders)).toBeGreaterThanOrEqual(10);
      expect((await sql`show listen_addresses`)[0].listen_addresses).toBe("127.0.0.1");
      const [slot] = await sql`select slot_name from pg_create_logical_replication_slot('s', 'pgoutput')`;
      expect(slot.slot_name).toBe("s");
      await sql`create table orders (id int primary key, item text)`;
      await sql`insert into orders values (1, 'tea'), (2, 'scones')`;
    } finally {
      await sql.close();
    }

    expect(await quietly(() => stopPostgres(layout))).toEqual({ wasRunning: true });
    expect(isProcessAlive(a.pid as number)).toBe(false);
    expect(await isPostgresAnswering(layout.url)).toBe(false);
    expect(await quietly(() => stopPostgres(layout))).toEqual({ wasRunning: false });

    const again = await quietly(() => ensurePostgres({ layout }));
    expect(again.startedNow).toBe(true);
    const sql2 = new Bun.SQL(layout.url, { max: 1 });
    try {
      expect(await sql2`select id, item from orders order by id`).toEqual([
        { id: 1, item: "tea" },
        { id: 2, item: "scones" },
      ]);
      expect((await sql2`select slot_name, plugin from pg_replication_slots`)[0]).toEqual({
        slot_name: "s",
        plugin: "pgoutput",
      });
    } finally {
      await sql2.close();
    }
    expect((await postgresStatus(layout)).running).toBe(true);
    expect(await quietly(() => runPostgresCommand(["stop"], layout))).toBe(0);
  }, 120_000);

  test("missing binaries name the apt package", async () => {
    const layout = { ...(await privateLayout()), binDir: undefined };
    const error = await failure(quietly(() => ensurePostgres({ layout })));
    expect(error.code).toBe("POSTGRES_NOT_INSTALLED");
    expect(error.message).toContain("apt-get install postgresql");
  });

  test("a port held by something that is not PostgreSQL is named, with how to find who holds it", async () => {
    const layout = await privateLayout();
    const listener = Bun.listen({ hostname: layout.host, port: layout.port, socket: { data() {} } });
    try {
      const error = await failure(quietly(() => ensurePostgres({ layout })));
      expect(error.code).toBe("POSTGRES_PORT_IN_USE");
      expect(error.message).toContain(`127.0.0.1:${layout.port} is in use`);
      expect(error.message).toContain("ss -ltnp");
    } finally {
      listener.stop(true);
    }
  }, 30_000);

  test("a failing initdb is reported with the end of its log", async () => {
    const layout = await privateLayout();
    // initdb refuses a folder that is not empty.
    mkdirSync(layout.dataDir, { recursive: true });
    writeFileSync(join(layout.dataDir, "stray"), "");
    const error = await failure(quietly(() => ensurePostgres({ layout })));
    expect(error.code).toBe("POSTGRES_INITDB_FAILED");
    expect(error.message).toContain("initdb failed");
    expect(error.message).toContain("exists but is not empty");
    expect(error.message).toContain(layout.logFile);
  }, 60_000);

  test("a server that dies at startup is reported with the end of its log", async () => {
    const layout = await privateLayout();
    await quietly(() => ensurePostgres({ layout }));
    await quietly(() => stopPostgres(layout));
    appendFileSync(join(layout.dataDir, "postgresql.conf"), "shared_buffers = 'lots'\n");
    const error = await failure(quietly(() => ensurePostgres({ layout })));
    expect(error.code).toBe("POSTGRES_START_FAILED");
    expect(error.message).toContain("exited during startup");
    expect(error.message).toContain("shared_buffers");
    expect((await postgresStatus(layout)).pid).toBeUndefined();
  }, 120_000);

  test("a server started some other way is used, not restarted, and not stopped", async () => {
    const layout = await privateLayout();
    const ours = await quietly(() => ensurePostgres({ layout }));
    // The same port seen from another folder: a PostgreSQL answers there that this layout did not start.
    const other = { ...(await privateLayout()), port: layout.port, url: layout.url };
    const info = await quietly(() => ensurePostgres({ layout: other }));
    expect(info).toMatchObject({ startedNow: false, pid: undefined });
    const error = await failure(quietly(() => stopPostgres(other)));
    expect(error.code).toBe("POSTGRES_NOT_MANAGED");
    expect(error.message).toContain("stop it the way it was started");
    expect(isProcessAlive(ours.pid as number)).toBe(true);
    await quietly(() => stopPostgres(layout));
  }, 60_000);

  test("an unknown action prints the usage", async () => {
    const errors: string[] = [];
    const spy = spyOn(console, "error").mockImplementation((line: string) => void errors.push(line));
    try {
      expect(await runPostgresCommand(["restart"], await privateLayout())).toBe(1);
    } finally {
      spy.mockRestore();
    }
    expect(errors).toEqual(["usage: postgres start|stop|status"]);
  });
});

describe("usePostgres()", () => {
  usePostgres();

  test("the development PostgreSQL answers at 127.0.0.1:5432 with logical decoding", async () => {
    const sql = new Bun.SQL(HARNESS_URL, { max: 1 });
    try {
      expect((await sql`show wal_level`)[0].wal_level).toBe("logical");
    } finally {
      await sql.close();
    }
    const status = await postgresStatus();
    expect(status.running).toBe(true);
  });

  test("ensurePostgres returns at once when it runs", async () => {
    const started = performance.now();
    const info = await ensurePostgres({ quiet: true });
    expect(info.startedNow).toBe(false);
    expect(performance.now() - started).toBeLessThan(1000);
  });
});
