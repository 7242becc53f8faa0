/** A task that cannot capture says what and where: the server, the database, the publication, the slot, the key. */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { PostgresConnectorTask } from "../../../plugins/postgres-cdc/postgres-connector-task.ts";
import { ConnectError } from "../../../src/index.ts";
import { MemoryOffsetStorageReader, sourceTaskContext } from "../../../src/testing/index.ts";
import { usePostgres } from "../../harness.ts";
import { freePort } from "../../worker-harness.ts";
import { type CdcDatabase, cdcConnectorConfig, createCdcDatabase } from "./cdc-database.ts";

usePostgres();

let db: CdcDatabase;
beforeAll(async () => {
  db = await createCdcDatabase("errors");
  await db.sql`CREATE TABLE items (id int PRIMARY KEY)`;
});
afterAll(async () => {
  await db?.drop();
});

async function startError(
  config: Record<string, string>,
  offsets = new MemoryOffsetStorageReader(),
): Promise<ConnectError> {
  const task = new PostgresConnectorTask();
  task.initialize(sourceTaskContext(config, offsets));
  const error = await task.start(config).then(
    async () => {
      await task.stop();
      return undefined;
    },
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ConnectError);
  return error as ConnectError;
}

describe("the CDC task's start-up errors", () => {
  test("no server at the address: retriable, naming the database, host and port", async () => {
    const port = freePort();
    const error = await startError(cdcConnectorConfig("nowhere", { "database.port": String(port) }));
    expect(error.message).toContain(`'nowhere' at 127.0.0.1:${port}`);
    expect(error.retriable).toBe(true);
  });

  test("a database that does not exist is named", async () => {
    const error = await startError(cdcConnectorConfig("no_such_database_here"));
    expect(error.message).toContain("no_such_database_here");
  });

  test("publication.autocreate.mode=disabled without the publication names it", async () => {
    const error = await startError(
      db.connectorConfig({ "publication.autocreate.mode": "disabled", "publication.name": "missing_pub" }),
    );
    expect(error.message).toContain("missing_pub");
  });

  test("a slot another task streams from names the slot", async () => {
    const config = db.connectorConfig({
      "slot.name": `${db.name}_busy`.slice(0, 63),
      "slot.drop.on.stop": "true",
      "snapshot.mode": "never",
    });
    const first = new PostgresConnectorTask();
    first.initialize(sourceTaskContext(config));
    await first.start(config);
    try {
      const error = await startError(config);
      expect(error.message).toContain(config["slot.name"] as string);
      expect(error.retriable).toBe(true);
    } finally {
      await first.stop();
    }
  });

  test("a stored offset that is not a position names its key", async () => {
    const config = db.connectorConfig();
    const offsets = new MemoryOffsetStorageReader();
    offsets.set({ server: config["topic.prefix"] as string }, { lsn: "0/16B3748" });
    const error = await startError(config, offsets);
    expect(error.message).toContain("'lsn'");
  });
});
