import {
  ConnectError,
  DataError,
  type ErrantRecordReporter,
  RetriableError,
  type SinkRecord,
} from "../../src/index.ts";
import { lastPerKey, type PreparedRecord, planSegments, type Segment } from "./batch-plan.ts";
import type { JdbcSinkConfig } from "./jdbc-sink-config.ts";
import {
  deleteStatement,
  insertStatement,
  type Row,
  rowOf,
  rowsPerStatement,
  type Statement,
  truncateStatement,
  updateStatement,
} from "./pg-statements.ts";
import { RecordChanges } from "./record-change.ts";
import { refusalOf, type SqlClient, type SqlExecutor } from "./sql-client.ts";
import type { TableCatalog } from "./table-catalog.ts";
import { describeTable, type TableId } from "./table-naming.ts";

/** A record the sink could not write, with the error that says why. */
interface Rejected {
  readonly record: SinkRecord;
  readonly error: DataError;
  /** The record's place in its batch: reports go out in the records' order. */
  readonly index: number;
}

/**
 * Writes records as Debezium's JdbcChangeEventSink and RecordWriter do, in batches of batch.size records, each batch
 * in one transaction of multi-row statements. When PostgreSQL refuses a batch, it is rolled back and replayed record
 * by record in a new transaction to find the record it refuses; that record's error names its topic, partition,
 * offset, table and PostgreSQL's message.
 *
 * Without an errant record reporter (Debezium uses none: its task fails) that error fails the put and nothing of the
 * batch is committed. With one (the runtime's, when the connector has a dead-letter queue or errors.log.enable, as
 * Kafka's ErrantRecordReporter), each refused record is rolled back to its savepoint and reported, and the rest of
 * the batch is committed: under errors.tolerance=all the bad record goes to the dead-letter queue with PostgreSQL's
 * message while the good ones are written; under none the report fails the put and the batch is rolled back.
 * Errors that do not come from PostgreSQL (a lost connection) are retriable: the runtime delivers the same records
 * again.
 */
export class RecordWriter {
  private readonly changes: RecordChanges;

  constructor(
    private readonly client: SqlClient,
    private readonly config: JdbcSinkConfig,
    private readonly catalog: TableCatalog,
    private readonly reporter: ErrantRecordReporter | null = null,
  ) {
    this.changes = new RecordChanges(config);
  }

  /** Resolves once every record is committed, reported or skipped (as Debezium skips them). */
  async write(records: readonly SinkRecord[]): Promise<void> {
    for (let first = 0; first < records.length; first += this.config.batchSize) {
      await this.writeBatch(records.slice(first, first + this.config.batchSize));
    }
  }

  private async writeBatch(records: readonly SinkRecord[]): Promise<void> {
    const prepared: PreparedRecord[] = [];
    const rejected: Rejected[] = [];
    const indexOf = new Map<SinkRecord, number>();
    for (const [index, record] of records.entries()) {
      indexOf.set(record, index);
      try {
        const pending = this.prepare(record);
        const item = pending instanceof Promise ? await pending : pending;
        if (item !== null) prepared.push(item);
      } catch (error) {
        if (!(error instanceof DataError) || this.reporter === null) throw error;
        rejected.push({ record, error, index });
      }
    }
    if (prepared.length === 0 && rejected.length === 0) return;
    try {
      await this.client.transaction(async (tx) => {
        await this.execute(tx, planSegments(prepared));
        await this.report(rejected);
      });
    } catch (error) {
      if (refusalOf(error) === null) throw unreachable(error);
      this.catalog.forget();
      await this.client.transaction(async (tx) => {
        for (const item of prepared) {
          const refusal = await this.executeAlone(tx, item);
          if (refusal !== null)
            rejected.push({ record: item.record, error: refusal, index: indexOf.get(item.record) ?? 0 });
        }
        await this.report(rejected);
      });
    }
  }

  /**
   * One record's statements within the replay: the refusal, when a reporter takes it (rolled back to the record's
   * savepoint, so the transaction goes on); thrown otherwise, which rolls the whole batch back.
   */
  private async executeAlone(tx: SqlExecutor, item: PreparedRecord): Promise<DataError | null> {
    if (this.reporter !== null) await tx.query("SAVEPOINT jdbc_sink_record");
    try {
      await this.execute(tx, planSegments([item]));
    } catch (error) {
      if (refusalOf(error) === null) throw unreachable(error);
      const failure = recordFailure(item.record, item.table, error);
      if (this.reporter === null) throw failure;
      await tx.query("ROLLBACK TO SAVEPOINT jdbc_sink_record");
      return failure;
    }
    if (this.reporter !== null) await tx.query("RELEASE SAVEPOINT jdbc_sink_record");
    return null;
  }

  /** Reports in the records' order, before the batch commits: a report that fails (tolerance none) rolls it back. */
  private async report(rejected: readonly Rejected[]): Promise<void> {
    const ordered = [...rejected].sort((a, b) => a.index - b.index);
    for (const { record, error } of ordered) await (this.reporter as ErrantRecordReporter).report(record, error);
  }

  /**
   * The record's change, its row and its table made ready; null when skipped. Synchronous while the table is known
   * with every column the record needs (the usual case: no await per record); schema evolution runs otherwise.
   */
  private prepare(record: SinkRecord): PreparedRecord | null | Promise<PreparedRecord> {
    let table: TableId | null = null;
    try {
      const change = this.changes.of(record);
      if (change.op === "skip") return null;
      table = change.table;
      if (change.op === "truncate") {
        return { record, op: "truncate", table, keyColumns: [], row: null, tableColumns: null };
      }
      const values = change.op === "upsert" ? change.values : [];
      if (change.key.length === 0 && (change.op === "delete" || this.config.insertMode !== "insert")) {
        throw new DataError(`Cannot write to table ${describeTable(table)} with no key fields defined.`);
      }
      const row = rowOf([...change.key, ...values], this.config.useTimeZone);
      const item = { record, op: change.op, table, keyColumns: change.key.map((c) => c.column), row };
      const known = this.catalog.known(table, row.columns);
      if (known !== null) return { ...item, tableColumns: known };
      const evolving = table;
      return this.catalog.ensure(table, change.key, values).then(
        (tableColumns) => ({ ...item, tableColumns }),
        (error: unknown) => {
          throw this.prepareFailure(record, evolving, error);
        },
      );
    } catch (error) {
      throw this.prepareFailure(record, table, error);
    }
  }

  private prepareFailure(record: SinkRecord, table: TableId | null, error: unknown): ConnectError {
    if (error instanceof DataError || refusalOf(error) !== null) {
      return recordFailure(record, table ?? this.changes.tableFor(record), error);
    }
    return unreachable(error);
  }

  private async execute(tx: SqlExecutor, segments: readonly Segment[]): Promise<void> {
    for (const segment of segments) {
      for (const statement of this.statements(segment)) await tx.query(statement.text, statement.params);
    }
  }

  private *statements(segment: Segment): Generator<Statement> {
    const { table } = segment;
    if (segment.op === "truncate") {
      yield truncateStatement(table);
      return;
    }
    const items =
      this.config.insertMode === "insert" && segment.op === "upsert" ? segment.items : lastPerKey(segment.items);
    const first = items[0] as PreparedRecord;
    const row = first.row as Row;
    const types = row.columns.map((c) => first.tableColumns?.get(c.column) ?? "text");
    const keys = first.keyColumns;
    const step = rowsPerStatement(row.columns.length);
    for (let i = 0; i < items.length; i += step) {
      const rows = items.slice(i, i + step).map((item) => item.row as Row);
      if (segment.op === "delete") yield deleteStatement(table, rows, types);
      else if (this.config.insertMode === "insert") yield insertStatement(table, rows, types, null);
      else if (this.config.insertMode === "upsert") yield insertStatement(table, rows, types, keys);
      else if (row.columns.length > keys.length) yield updateStatement(table, rows, types, keys);
    }
  }
}

/** The error for a record PostgreSQL (or the sink) refuses: where it came from, where it went, and why. */
export function recordFailure(record: SinkRecord, table: TableId | null, error: unknown): DataError {
  const refusal = refusalOf(error);
  const reason = refusal
    ? `${refusal.message} (SQLSTATE ${refusal.sqlState})`
    : error instanceof Error
      ? error.message
      : String(error);
  const where = table === null ? "" : ` to table '${describeTable(table)}'`;
  return new DataError(
    `Failed to write the record at topic '${record.topic}', partition ${record.kafkaPartition}, offset ` +
      `${record.kafkaOffset}${where}: ${reason}`,
    { cause: error, code: refusal ? `POSTGRES_${refusal.sqlState}` : undefined },
  );
}

function unreachable(error: unknown): ConnectError {
  if (error instanceof ConnectError) return error;
  const message = error instanceof Error ? error.message : String(error);
  return new RetriableError(`PostgreSQL could not be reached: ${message}`, { cause: error });
}
