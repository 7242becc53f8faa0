import { describe, expect, test } from "bun:test";
import postgres from "postgres";
import {
  postgresOptions,
  readConnectionConfig,
} from "../../../../plugins/postgres-cdc/replication/connection-options.ts";
import { ConfigError } from "../../../../src/index.ts";
import { POSTGRES_URL, usePostgres } from "../../../harness.ts";

usePostgres();

const url = new URL(POSTGRES_URL);
const base = {
  "database.hostname": url.hostname,
  "database.port": url.port || "5432",
  "database.user": url.username,
  "database.dbname": "postgres",
};

describe("connection options from Debezium's database.* keys", () => {
  test("defaults: port 5432, sslmode prefer, no password", () => {
    const config = readConnectionConfig({ "database.hostname": "db", "database.user": "u", "database.dbname": "d" });
    expect(config).toEqual({
      hostname: "db",
      port: 5432,
      user: "u",
      password: undefined,
      dbname: "d",
      sslmode: "prefer",
    });
  });

  test("missing or invalid keys are ConfigErrors naming the key", () => {
    const missing = () => readConnectionConfig({ ...base, "database.hostname": " " });
    expect(missing).toThrow(ConfigError);
    expect(missing).toThrow('Missing required configuration "database.hostname"');
    expect(() => readConnectionConfig({ ...base, "database.port": "70000" })).toThrow(
      'Invalid value 70000 for configuration "database.port"',
    );
    expect(() => readConnectionConfig({ ...base, "database.sslmode": "sometimes" })).toThrow(
      'Invalid value sometimes for configuration "database.sslmode": expected one of disable, allow, prefer, require',
    );
  });

  for (const sslmode of ["disable", "prefer"]) {
    test(`sslmode ${sslmode} connects to a server without TLS, and replication=database opens a replication session`, async () => {
      const config = readConnectionConfig({ ...base, "database.sslmode": sslmode });
      const sql = postgres(postgresOptions(config, { replication: true }));
      try {
        const [row] = await sql.unsafe("IDENTIFY_SYSTEM");
        expect(row?.dbname).toBe("postgres");
      } finally {
        await sql.end({ timeout: 1 });
      }
    });
  }

  test("sslmode require refuses a server without TLS", async () => {
    const sql = postgres(postgresOptions(readConnectionConfig({ ...base, "database.sslmode": "require" })));
    try {
      await expect(sql`SELECT 1`).rejects.toThrow();
    } finally {
      await sql.end({ timeout: 1 });
    }
  });
});
