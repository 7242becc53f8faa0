import { type ConfigDef, type ConfigValue, SinkConnector, type SinkTask, type TaskConfig } from "../../src/index.ts";
import { parseConnectionUrl } from "./connection-url.ts";
import { JDBC_SINK_CONFIG_DEF, parseJdbcSinkConfig, validateJdbcSinkConfig } from "./jdbc-sink-config.ts";
import { JdbcSinkTask } from "./jdbc-sink-task.ts";
import { JDBC_SINK_PLUGIN_VERSION } from "./version.ts";

/**
 * Debezium's JDBC sink connector (io.debezium.connector.jdbc.JdbcSinkConnector) for PostgreSQL: every task gets
 * the whole configuration and writes the records of its partitions.
 */
export class JdbcSinkConnector extends SinkConnector {
  private props: Readonly<Record<string, string>> = {};

  version(): string {
    return JDBC_SINK_PLUGIN_VERSION;
  }

  /** Checks the configuration (a ConfigError names the bad key, in Debezium's words where it has some). */
  start(props: Readonly<Record<string, string>>): void {
    const config = parseJdbcSinkConfig(props);
    parseConnectionUrl(config.connectionUrl, config.username, config.password);
    this.props = props;
  }

  taskConfigs(maxTasks: number): TaskConfig[] {
    return Array.from({ length: maxTasks }, () => ({ ...this.props }));
  }

  taskClass(): new () => SinkTask {
    return JdbcSinkTask;
  }

  stop(): void {}

  /** The sink keeps no offsets of its own: the consumer group's are all there is. */
  override alterOffsets(): boolean {
    return true;
  }

  config(): ConfigDef {
    return JDBC_SINK_CONFIG_DEF;
  }

  override validate(props: Readonly<Record<string, string>>): ConfigValue[] {
    return validateJdbcSinkConfig(props);
  }
}
