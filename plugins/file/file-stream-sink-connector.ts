import { type ConfigDef, SinkConnector, type SinkTask, type TaskConfig } from "../../src/index.ts";
import { FILE_STREAM_SINK_CONFIG_DEF } from "./file-stream-sink-config.ts";
import { FileStreamSinkTask } from "./file-stream-sink-task.ts";
import { FILE_PLUGIN_VERSION } from "./version.ts";

/**
 * Appends the records of its topics to one file (or standard output), one line per record, as Kafka's
 * FileStreamSinkConnector. Every task gets the same configuration and appends to the same file.
 */
export class FileStreamSinkConnector extends SinkConnector {
  private props: Readonly<Record<string, string>> = {};

  version(): string {
    return FILE_PLUGIN_VERSION;
  }

  /** Checks the configuration (a ConfigError names the bad key) and keeps it for the tasks. */
  start(props: Readonly<Record<string, string>>): void {
    FILE_STREAM_SINK_CONFIG_DEF.parse(props);
    this.props = props;
  }

  /** `maxTasks` copies of the whole connector configuration (Kafka passes it all on since KAFKA-13809). */
  taskConfigs(maxTasks: number): TaskConfig[] {
    return Array.from({ length: maxTasks }, () => ({ ...this.props }));
  }

  taskClass(): new () => SinkTask {
    return FileStreamSinkTask;
  }

  stop(): void {}

  /** The file keeps no offsets of its own: the consumer group's are all there is, so any change is complete. */
  override alterOffsets(): boolean {
    return true;
  }

  config(): ConfigDef {
    return FILE_STREAM_SINK_CONFIG_DEF;
  }
}
