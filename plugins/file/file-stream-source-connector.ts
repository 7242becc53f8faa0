import {
  type ConfigDef,
  ConnectError,
  ExactlyOnceSupport,
  SourceConnector,
  type SourceOffset,
  type SourcePartition,
  type SourceTask,
  type TaskConfig,
} from "../../src/index.ts";
import { pathOrStandardStream } from "./file-path.ts";
import {
  FILE_CONFIG,
  FILE_STREAM_SOURCE_CONFIG_DEF,
  FILENAME_FIELD,
  POSITION_FIELD,
} from "./file-stream-source-config.ts";
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

  /**
   * A file is read from stored byte positions, so a task resumes exactly after the last committed line: exactly
   * once, as long as the file is only appended to. Standard input keeps no offsets, so it cannot be. As Kafka's
   * connector, the whole configuration is parsed first: a bad one is an error here too.
   */
  override exactlyOnceSupport(connectorConfig: Readonly<Record<string, string>>): ExactlyOnceSupport {
    const config = FILE_STREAM_SOURCE_CONFIG_DEF.parse(connectorConfig);
    return pathOrStandardStream(config[FILE_CONFIG]) === null
      ? ExactlyOnceSupport.UNSUPPORTED
      : ExactlyOnceSupport.SUPPORTED;
  }

  /**
   * Offsets are Connect's own (nothing to update elsewhere); this checks their shape, as Kafka's connector does:
   * `{"filename": ...}` partitions with `{"position": <non-negative integer>}` offsets, or null to remove one.
   * Standard input has no offsets to alter.
   */
  override alterOffsets(
    connectorConfig: Readonly<Record<string, string>>,
    offsets: ReadonlyMap<SourcePartition, SourceOffset | null>,
  ): boolean {
    const config = FILE_STREAM_SOURCE_CONFIG_DEF.parse(connectorConfig);
    if (pathOrStandardStream(config[FILE_CONFIG]) === null) {
      throw new ConnectError(
        `Offsets cannot be modified if the '${FILE_CONFIG}' configuration is unspecified. This is because stdin is used for input and offsets are not tracked.`,
      );
    }
    for (const [partition, offset] of offsets) {
      // Tombstones are allowed for anything, so that stale offsets can always be cleaned up.
      if (offset === null) continue;
      if (!(POSITION_FIELD in offset)) {
        throw new ConnectError(`Offset objects should either be null or contain the key '${POSITION_FIELD}'`);
      }
      const position = offset[POSITION_FIELD];
      if (typeof position !== "number" || !Number.isInteger(position)) {
        throw new ConnectError(
          `The value for the '${POSITION_FIELD}' key in the offset is expected to be a Long value`,
        );
      }
      if (position < 0) {
        throw new ConnectError(
          `The value for the '${POSITION_FIELD}' key in the offset should be a non-negative value`,
        );
      }
      if (!(FILENAME_FIELD in partition)) {
        throw new ConnectError(`Partition objects should contain the key '${FILENAME_FIELD}'`);
      }
    }
    return true;
  }

  config(): ConfigDef {
    return FILE_STREAM_SOURCE_CONFIG_DEF;
  }
}
