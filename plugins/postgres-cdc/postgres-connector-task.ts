/**
 * The CDC source task: on start it sees to the publication and the slot, then takes the snapshot its
 * `snapshot.mode` asks for (reading the tables on the slot's exported snapshot) and streams the slot's changes from
 * the stored offset on. A change's LSN is confirmed to the slot only once Kafka acknowledged its records
 * (`flush.lsn.source`), so a task killed at any point resumes without losing a change.
 */
import postgres, { type Sql } from "postgres";
import { ConnectError, type Header, RetriableError, Schemas, type SourceRecord, SourceTask } from "../../src/index.ts";
import { type ParsedSettings, parseSettings } from "./config/connector-settings.ts";
import { ChangeRecords } from "./events/change-records.ts";
import { heartbeatRecord } from "./events/heartbeat.ts";
import { SourceInfoMaker } from "./events/source-info.ts";
import { TableSchemas } from "./events/table-schemas.ts";
import { heartbeatTopic } from "./events/topic-names.ts";
import { sourcePartition, storedPosition } from "./offsets/cdc-offset.ts";
import { postgresOptions } from "./replication/connection-options.ts";
import type { WalMessage } from "./replication/pgoutput-messages.ts";
import { ensurePublication } from "./replication/publication.ts";
import { checkSlotNotInUse, createSlot, dropSlot, readSlot } from "./replication/replication-slot.ts";
import { ReplicationStream } from "./replication/replication-stream.ts";
import { readCapturedTables } from "./schema/catalog.ts";
import { PgTypeRegistry } from "./schema/pg-type-registry.ts";
import { SnapshotPhase } from "./snapshot/snapshot-phase.ts";
import { startPlan } from "./startup/start-plan.ts";
import { ChangeStream, type ResumePoint } from "./streaming/change-stream.ts";
import { SlotProgress } from "./streaming/slot-progress.ts";
import { POSTGRES_CDC_VERSION } from "./version.ts";

/** Waits between attempts to connect again after the replication connection broke: doubling from 0.5 s to 10 s. */
const RECONNECT_MIN_MS = 500;
const RECONNECT_MAX_MS = 10_000;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export class PostgresConnectorTask extends SourceTask {
  #settings: ParsedSettings | null = null;
  #sql: Sql | null = null;
  #records: ChangeRecords | null = null;
  #schemas: TableSchemas | null = null;
  #snapshot: SnapshotPhase | null = null;
  #streamAfterSnapshot = true;
  #stream: ReplicationStream | null = null;
  #changes: ChangeStream | null = null;
  #progress = new SlotProgress();
  #startLsn = 0n;
  #resume: ResumePoint | null = null;
  #lastHeartbeat = Date.now();
  #stopped = false;
  /** After the replication connection broke: when to connect again, and how long the next wait is. */
  #reconnectAt: number | null = null;
  #reconnectDelayMs = RECONNECT_MIN_MS;

  version(): string {
    return POSTGRES_CDC_VERSION;
  }

  async start(props: Readonly<Record<string, string>>): Promise<void> {
    const settings = parseSettings(props);
    this.#settings = settings;
    this.#stopped = false;
    const sql = postgres(postgresOptions(settings.connection));
    this.#sql = sql;
    try {
      await this.#begin(settings, sql);
    } catch (error) {
      await this.stop();
      if (error instanceof ConnectError) throw error;
      const { hostname, port, dbname } = settings.connection;
      throw new RetriableError(
        `Could not start capturing database '${dbname}' at ${hostname}:${port}: ${(error as Error).message}`,
        { cause: error },
      );
    }
  }

  /** Sees to the publication and the slot, then starts the snapshot or the stream. */
  async #begin(settings: ParsedSettings, sql: Sql): Promise<void> {
    const partition = sourcePartition(settings.topicPrefix);
    this.#records = new ChangeRecords({
      partition,
      sourceInfo: new SourceInfoMaker(settings.topicPrefix, settings.connection.dbname),
      tombstonesOnDelete: settings.tombstonesOnDelete,
      skippedOperations: settings.skippedOperations,
      contextHeaders: settings.extendedHeaders ? contextHeaders(settings.topicPrefix) : [],
    });
    this.#schemas = new TableSchemas(sql, {
      topicPrefix: settings.topicPrefix,
      topicDelimiter: settings.topicDelimiter,
      filter: settings.filter,
      types: await PgTypeRegistry.read(sql),
      typeMapping: settings.typeMapping,
      unavailablePlaceholder: settings.unavailablePlaceholder,
      conversionFailureMode: settings.conversionFailureMode,
    });
    const captured = await readCapturedTables(sql, settings.filter);
    await ensurePublication(sql, {
      name: settings.publicationName,
      mode: settings.publicationAutocreateMode,
      tables: captured,
      publishViaPartitionRoot: settings.publishViaPartitionRoot,
    });
    const stored = storedPosition(await this.context.offsetStorageReader.offset(partition));
    const slot = await readSlot(sql, settings.slotName, settings.connection.dbname);
    if (slot !== null) checkSlotNotInUse(slot);
    const plan = startPlan(settings.snapshotMode, stored, slot);
    if (stored.kind === "streaming" && stored.txId !== null && stored.lastProcessedLsn !== null) {
      this.#resume = { txId: stored.txId, lastProcessedLsn: stored.lastProcessedLsn };
    }
    if (plan.kind === "idle") {
      this.#streamAfterSnapshot = false;
      return;
    }
    if (plan.kind === "snapshot") {
      const created =
        slot === null ? await createSlot(settings.connection, settings.slotName, { exportSnapshot: true }) : null;
      this.#startLsn = created?.consistentPoint ?? slot?.confirmedFlushLsn ?? 0n;
      this.#resume = null;
      this.#streamAfterSnapshot = plan.streamAfter;
      this.#snapshot = await SnapshotPhase.begin({
        sql,
        records: this.#records,
        schemas: this.#schemas,
        tables: captured,
        snapshotName: created?.snapshotName ?? null,
        release: () => created?.release() ?? Promise.resolve(),
        consistentPoint: this.#startLsn,
        fetchSize: settings.snapshotFetchSize,
      });
      return;
    }
    const created = slot === null ? await createSlot(settings.connection, settings.slotName) : null;
    await created?.release();
    this.#startLsn =
      stored.kind === "streaming" ? stored.resumeLsn : (created?.consistentPoint ?? slot?.confirmedFlushLsn ?? 0n);
    await this.#startStreaming();
  }

  async poll(): Promise<SourceRecord[] | null> {
    const settings = this.#settings;
    if (settings === null || this.#stopped) return null;
    if (this.#snapshot !== null) {
      const records = await this.#snapshot.next(settings.maxBatchSize);
      if (this.#snapshot.done) {
        await this.#snapshot.close();
        this.#snapshot = null;
        if (this.#streamAfterSnapshot) await this.#startStreaming();
      }
      this.#progress.handedOver(records);
      return records;
    }
    if (this.#reconnectAt !== null) await this.#reconnect();
    const stream = this.#stream;
    const changes = this.#changes;
    if (stream === null || changes === null) {
      await sleep(Math.min(settings.pollIntervalMs, 1000));
      return null;
    }
    let messages: WalMessage[];
    try {
      messages = await stream.read(settings.maxBatchSize, settings.pollIntervalMs);
    } catch (error) {
      // The runtime polls again after a retriable error (as Kafka's does); the next polls connect again.
      await stream.close().catch(() => {});
      this.#stream = null;
      changes.reconnected();
      this.#reconnectAt = Date.now() + this.#reconnectDelayMs;
      throw error;
    }
    this.#reconnectDelayMs = RECONNECT_MIN_MS;
    const records: SourceRecord[] = [];
    const commits: { lsn: bigint; count: number }[] = [];
    await changes.decode(messages, records, (lsn, count) => commits.push({ lsn, count }));
    let handed = 0;
    for (const commit of commits) {
      this.#progress.handedOver(records.slice(handed, commit.count));
      this.#progress.flushableAfterHandedOver(commit.lsn);
      handed = commit.count;
    }
    this.#progress.handedOver(records.slice(handed));
    this.#maybeHeartbeat(records);
    this.#confirm();
    return records;
  }

  override commitRecord(record: SourceRecord): void {
    this.#progress.acknowledged(record);
  }

  override commit(): void {
    this.#confirm();
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    const settings = this.#settings;
    await this.#snapshot?.close().catch(() => {});
    this.#snapshot = null;
    await this.#stream?.close().catch(() => {});
    this.#stream = null;
    if (settings?.slotDropOnStop === true && this.#sql !== null) {
      await dropSlot(this.#sql, settings.slotName).catch(() => {});
    }
    await this.#sql?.end({ timeout: 5 }).catch(() => {});
    this.#sql = null;
  }

  /** Connects again once the wait is over, from the end of the last whole transaction read. */
  async #reconnect(): Promise<void> {
    const wait = (this.#reconnectAt ?? 0) - Date.now();
    if (wait > 0) {
      await sleep(Math.min(wait, 1000));
      return;
    }
    try {
      this.#startLsn = this.#changes?.lastCommitLsn ?? this.#startLsn;
      await this.#openStream();
      this.#reconnectAt = null;
    } catch (error) {
      this.#reconnectDelayMs = Math.min(this.#reconnectDelayMs * 2, RECONNECT_MAX_MS);
      this.#reconnectAt = Date.now() + this.#reconnectDelayMs;
      throw error;
    }
  }

  async #startStreaming(): Promise<void> {
    const settings = this.#settings;
    if (settings === null || this.#records === null || this.#schemas === null) return;
    this.#changes = new ChangeStream(this.#records, this.#schemas, this.#resume);
    await this.#openStream();
  }

  async #openStream(): Promise<void> {
    const settings = this.#settings;
    if (settings === null) return;
    this.#stream = await ReplicationStream.start({
      connection: settings.connection,
      slotName: settings.slotName,
      publicationName: settings.publicationName,
      startLsn: this.#startLsn,
      statusUpdateIntervalMs: settings.statusUpdateIntervalMs,
    });
  }

  /** Tells the slot how far Kafka has everything, unless `flush.lsn.source=false` leaves that to someone else. */
  #confirm(): void {
    const lsn = this.#progress.flushable;
    if (lsn !== null && this.#settings?.flushLsnSource === true) this.#stream?.acknowledge(lsn);
  }

  #maybeHeartbeat(records: SourceRecord[]): void {
    const settings = this.#settings;
    const changes = this.#changes;
    // Inside a transaction a heartbeat's offset would mark the transaction's later events as already sent.
    if (settings === null || changes === null || settings.heartbeatIntervalMs <= 0 || changes.inTransaction) return;
    const now = Date.now();
    if (now - this.#lastHeartbeat < settings.heartbeatIntervalMs) return;
    this.#lastHeartbeat = now;
    const lsn = changes.lastCommitLsn ?? this.#startLsn;
    const offset = { lsn: Number(lsn), lsn_proc: Number(lsn), lsn_commit: Number(lsn), ts_usec: now * 1000 };
    const topic = heartbeatTopic(settings.heartbeatTopicPrefix, settings.topicDelimiter, settings.topicPrefix);
    const record = heartbeatRecord(topic, settings.topicPrefix, sourcePartition(settings.topicPrefix), offset, now);
    this.#progress.handedOver([record]);
    records.push(record);
  }
}

/**
 * Debezium's context headers (DebeziumHeaderProducer): the logical name, the task (one task: "0"), the connector
 * type, and an id of this run of the task, new at every start.
 */
function contextHeaders(logicalName: string): Header[] {
  const header = (key: string, value: string): Header => ({
    key: `__debezium.context.${key}`,
    schema: Schemas.STRING,
    value,
  });
  return [
    header("connectorLogicalName", logicalName),
    header("taskId", "0"),
    header("connectorName", "postgresql"),
    header("runId", crypto.randomUUID()),
  ];
}
