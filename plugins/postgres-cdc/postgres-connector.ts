/**
 * The PostgreSQL CDC source connector, under Debezium's class name: one task, which reads the whole database's
 * changes through one replication slot (a slot streams to one reader at a time, so Debezium runs one task too).
 */
import { type ConfigDef, SourceConnector, type SourceTask, type TaskConfig } from "../../src/index.ts";
import { POSTGRES_CONNECTOR_CONFIG_DEF } from "./config/postgres-connector-config.ts";
import { PostgresConnectorTask } from "./postgres-connector-task.ts";
import { POSTGRES_CDC_VERSION } from "./version.ts";

export class PostgresConnector extends SourceConnector {
  #props: Readonly<Record<string, string>> = {};

  version(): string {
    return POSTGRES_CDC_VERSION;
  }

  /** Checks the configuration (a ConfigError names the bad key) and keeps it for the task. */
  start(props: Readonly<Record<string, string>>): void {
    POSTGRES_CONNECTOR_CONFIG_DEF.parse(props);
    this.#props = props;
  }

  /** One task whatever `tasks.max` says, as Debezium's PostgresConnector. */
  taskConfigs(_maxTasks: number): TaskConfig[] {
    return [{ ...this.#props }];
  }

  taskClass(): new () => SourceTask {
    return PostgresConnectorTask;
  }

  stop(): void {}

  config(): ConfigDef {
    return POSTGRES_CONNECTOR_CONFIG_DEF;
  }
}
