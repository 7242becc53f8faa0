import { type ConfigDef, SourceConnector, type SourceTask, type TaskConfig } from "../../src/index.ts";
import { FILE_STREAM_SOURCE_CONFIG_DEF } from "./file-stream-source-config.ts";
import { FileStreamSourceTask } from "./file-stream-source-task.ts";
import { FILE_PLUGIN_VERSION } from "./version.ts";

/**
 * Reads lines from one file (or standard input) into one topic, as Kafka's FileStreamSourceConnector. A single
 * stream cannot be split, so there is always exactly one task, whatever `tasks.max` says.
 */
export class FileStreamSourceConnector extends SourceConnector {
  private props: Readonly<Record<string, string>> = {};

  version(): string {
    return FILE_PLUGIN_VERSION;
  }

  /** Checks the configuration (a ConfigError names the bad key) and keeps it for the task. */
  start(props: Readonly<Record<string, string>>): void {
    FILE_STREAM_SOURCE_CONFIG_DEF.parse(props);
    this.props = props;
  }

  /**
   * The whole connector configuration, so that changes to transforms or converters reach the task on
   * reconfiguration (Kafka does the same since KAFKA-13809).
   */
  taskConfigs(_maxTasks: number): TaskConfig[] {
    return [{ ...this.props }];
  }

  taskClass(): new () => SourceTask {
    return FileStreamSourceTask;
  }

  stop(): void {}

  config(): ConfigDef {
    return FILE_STREAM_SOURCE_CONFIG_DEF;
  }
}
