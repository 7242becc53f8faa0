/**
 * The logical replication slot (`slot.name`, Debezium's default `debezium`) with the pgoutput plugin: reading its
 * state, creating it (optionally exporting the snapshot the initial snapshot reads), dropping it
 * (`slot.drop.on.stop`).
 */
import postgres, { type Sql } from "postgres";
import { AlreadyExistsError, ConfigError, ConnectError, RetriableError } from "../../../src/index.ts";
import { type PostgresConnectionConfig, type PostgresOptions, postgresOptions } from "./connection-options.ts";
import { parseLsn } from "./lsn.ts";
import type { Lsn } from "./pgoutput-messages.ts";
import { errorText, isConnectionFailure } from "./postgres-errors.ts";
import { quoteIdentifier } from "./sql-quoting.ts";

export const DEFAULT_SLOT_NAME = "debezium";
export const PLUGIN_NAME = "pgoutput";

/** A row of pg_replication_slots, for a slot this connector may use. */
export interface ReplicationSlotState {
  readonly slotName: string;
  readonly active: boolean;
  /** The backend streaming from the slot, when active. */
  readonly activePid: number | null;
  /** Where the next stream starts: the end of the last transaction the consumer confirmed. Null while being created. */
  readonly confirmedFlushLsn: Lsn | null;
  readonly restartLsn: Lsn | null;
  readonly catalogXmin: number | null;
}

interface SlotRow {
  slot_name: string;
  plugin: string | null;
  slot_type: string;
  database: string | null;
  active: boolean;
  active_pid: number | null;
  confirmed_flush_lsn: string | null;
  restart_lsn: string | null;
  catalog_xmin: string | null;
}

/**
 * The slot's state, or null when there is none. A slot of that name that this connector cannot use (another plugin,
 * a physical slot, another database) is a ConfigError: Debezium would try to create it and fail on the name.
 */
export async function readSlot(sql: Sql, slotName: string, database: string): Promise<ReplicationSlotState | null> {
  const rows = await sql<SlotRow[]>`
    SELECT slot_name, plugin, slot_type, database, active, active_pid, confirmed_flush_lsn::text,
           restart_lsn::text, catalog_xmin::text
    FROM pg_catalog.pg_replication_slots WHERE slot_name = ${slotName}`;
  const row = rows[0];
  if (row === undefined) return null;
  if (row.slot_type !== "logical" || row.plugin !== PLUGIN_NAME) {
    throw new ConfigError(
      `The replication slot '${slotName}' exists with the ${row.slot_type} plugin '${row.plugin ?? "(none)"}', but ` +
        `this connector decodes with '${PLUGIN_NAME}': drop the slot or set slot.name to another name`,
      { key: "slot.name" },
    );
  }
  if (row.database !== database) {
    throw new ConfigError(
      `The replication slot '${slotName}' belongs to the database '${row.database}', not '${database}': ` +
        "set slot.name to a slot of this database (slot names are unique per server)",
      { key: "slot.name" },
    );
  }
  return {
    slotName,
    active: row.active,
    activePid: row.active_pid,
    confirmedFlushLsn: row.confirmed_flush_lsn === null ? null : parseLsn(row.confirmed_flush_lsn),
    restartLsn: row.restart_lsn === null ? null : parseLsn(row.restart_lsn),
    catalogXmin: row.catalog_xmin === null ? null : Number(row.catalog_xmin),
  };
}

/** The error for a slot another backend streams from; retriable, since a previous task may still be stopping. */
export function slotInUseError(slotName: string, pid: number | null, cause?: unknown): RetriableError {
  return new RetriableError(
    `The replication slot '${slotName}' is active for PID ${pid ?? "unknown"}: another connection streams from it. ` +
      "When setting up multiple connectors for the same database host, please make sure to use a distinct " +
      "replication slot name for each.",
    { code: "SLOT_IN_USE", cause },
  );
}

/** Throws slotInUseError when another backend streams from the slot. */
export function checkSlotNotInUse(slot: ReplicationSlotState): void {
  if (slot.active) throw slotInUseError(slot.slotName, slot.activePid);
}

export interface CreatedSlot {
  readonly slotName: string;
  /** The LSN from which the slot's stream is consistent: changes after the exported snapshot. */
  readonly consistentPoint: Lsn;
  /** For `SET TRANSACTION SNAPSHOT`, valid until release(); null when not exported. */
  readonly snapshotName: string | null;
  /** Ends the creating connection, and with it the exported snapshot. Safe to call more than once. */
  release(): Promise<void>;
}

interface CreateSlotRow {
  slot_name: string;
  consistent_point: string;
  snapshot_name: string | null;
  output_plugin: string;
}

/**
 * Creates the slot on a new replication connection (`CREATE_REPLICATION_SLOT "name" LOGICAL pgoutput`). With
 * `exportSnapshot`, the connection stays open and idle, so the exported snapshot stays valid, until release(); a
 * snapshot transaction elsewhere reads exactly the rows committed before `consistentPoint`.
 */
export async function createSlot(
  config: PostgresConnectionConfig,
  slotName: string,
  { exportSnapshot = false }: { exportSnapshot?: boolean } = {},
): Promise<CreatedSlot> {
  const options: PostgresOptions = postgresOptions(config, { replication: true });
  const sql = postgres(options);
  let released: Promise<void> | undefined;
  const release = (): Promise<void> => {
    released ??= sql.end({ timeout: 5 }).then(() => {});
    return released;
  };
  const command =
    `CREATE_REPLICATION_SLOT ${quoteIdentifier(slotName)} LOGICAL ${PLUGIN_NAME} ` +
    (exportSnapshot ? "EXPORT_SNAPSHOT" : "NOEXPORT_SNAPSHOT");
  let row: CreateSlotRow | undefined;
  try {
    row = ((await sql.unsafe(command)) as unknown as CreateSlotRow[])[0];
  } catch (error) {
    await release().catch(() => {});
    const code = (error as { code?: unknown }).code;
    if (code === "42710") {
      throw new AlreadyExistsError(`The replication slot '${slotName}' already exists`, { cause: error });
    }
    const where = `PostgreSQL at ${config.hostname}:${config.port} (database '${config.dbname}')`;
    const message = `Cannot create the replication slot '${slotName}' on ${where}: ${errorText(error)}`;
    throw isConnectionFailure(error)
      ? new RetriableError(message, { cause: error })
      : new ConnectError(message, { cause: error });
  }
  if (row === undefined) {
    await release();
    throw new ConnectError(`CREATE_REPLICATION_SLOT for the slot '${slotName}' returned no row`);
  }
  if (!exportSnapshot) await release();
  return {
    slotName: row.slot_name,
    consistentPoint: parseLsn(row.consistent_point),
    snapshotName: exportSnapshot ? row.snapshot_name : null,
    release,
  };
}

/**
 * Drops the slot (`slot.drop.on.stop`). As Debezium, a slot still in use is tried three times a second apart, and
 * the answer says whether the slot was dropped (false when it was gone already or still in use).
 */
export async function dropSlot(sql: Sql, slotName: string, { attempts = 3, pauseMs = 1000 } = {}): Promise<boolean> {
  for (let attempt = 1; ; attempt++) {
    try {
      await sql`SELECT pg_catalog.pg_drop_replication_slot(${slotName})`;
      return true;
    } catch (error) {
      const code = (error as { code?: unknown }).code;
      if (code === "42704") return false; // undefined_object: dropped already
      if (code !== "55006" || attempt >= attempts) {
        if (code === "55006") return false; // object_in_use after the last attempt
        throw new ConnectError(`Cannot drop the replication slot '${slotName}': ${String(error)}`, { cause: error });
      }
      await new Promise((resolve) => setTimeout(resolve, pauseMs));
    }
  }
}
