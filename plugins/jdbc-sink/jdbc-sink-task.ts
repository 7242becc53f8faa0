import { type SinkRecord, SinkTask } from "../../src/index.ts";
import { parseConnectionUrl } from "./connection-url.ts";
import { parseJdbcSinkConfig } from "./jdbc-sink-config.ts";
import { RecordWriter } from "./record-writer.ts";
import { openSqlClient, type SqlClient } from "./sql-client.ts";
import { TableCatalog } from "./table-catalog.ts";
import { JDBC_SINK_PLUGIN_VERSION } from "./version.ts";

/**
 * Writes records to PostgreSQL as Debezium's JdbcSinkConnectorTask. `put` returns only after the database has
 * committed every record it was given, so the runtime's default preCommit (commit the offsets after the last `put`)
 * never commits an offset whose record is not in the database (or reported, see RecordWriter); `flush` has
 * nothing left to do.
 */
export class JdbcSinkTask extends SinkTask {
  private client: SqlClient | null = null;
  private writer: RecordWriter | null = null;

  version(): string {
    return JDBC_SINK_PLUGIN_VERSION;
  }

  async start(props: Readonly<Record<string, string>>): Promise<void> {
    const config = parseJdbcSinkConfig(props);
    const connection = parseConnectionUrl(config.connectionUrl, config.username, config.password);
    const client = openSqlClient(connection);
    this.client = client;
    // Connect now, so that a wrong address or password fails the task at start rather than at the first record.
    await client.query("SELECT 1");
    // Kafka's errantRecordReporter(): null when the connector reports nowhere, absent in an older runtime.
    const reporter = this.context.errantRecordReporter?.() ?? null;
    this.writer = new RecordWriter(client, config, new TableCatalog(client, config), reporter);
  }

  async put(records: readonly SinkRecord[]): Promise<void> {
    if (records.length === 0) return;
    await (this.writer as RecordWriter).write(records);
  }

  async stop(): Promise<void> {
    const client = this.client;
    this.client = null;
    this.writer = null;
    await client?.close();
  }
}
