import {
  type ConfigDef,
  ExactlyOnceSupport,
  SourceConnector,
  type SourceTask,
  type TaskConfig,
} from "../../src/index.ts";
import { DATAGEN_CONFIG_DEF, TASK_ID_CONFIG } from "./datagen-config.ts";
import { DatagenTask } from "./datagen-task.ts";
import { DATAGEN_PLUGIN_VERSION } from "./version.ts";

/**
 * Generates test data: `tasks.max` tasks, each numbered and generating its own reproducible stream of records.
 * Meant for trying a pipeline and for benchmarks, where it stands in for a source that is never the bottleneck.
 */
export class DatagenConnector extends SourceConnector {
  private props: Readonly<Record<string, string>> = {};

  version(): string {
    return DATAGEN_PLUGIN_VERSION;
  }

  /** Checks the configuration (a ConfigError names the bad key) and keeps it for the tasks. */
  start(props: Readonly<Record<string, string>>): void {
    DATAGEN_CONFIG_DEF.parse(props);
    this.props = props;
  }

  /** One task per `maxTasks`, numbered 0 to maxTasks - 1 in `task.id`. */
  taskConfigs(maxTasks: number): TaskConfig[] {
    return Array.from({ length: maxTasks }, (_, id) => ({ ...this.props, [TASK_ID_CONFIG]: String(id) }));
  }

  taskClass(): new () => SourceTask {
    return DatagenTask;
  }

  stop(): void {}

  /**
   * Always: a task's offset is the seq of its last record and a record depends only on (seed, task, seq), so a task
   * resumes right after the last committed record, and one that replays an aborted transaction writes the very
   * same records again. Neither the clock nor `rate` changes what is generated, only when.
   */
  override exactlyOnceSupport(_connectorConfig: Readonly<Record<string, string>>): ExactlyOnceSupport {
    return ExactlyOnceSupport.SUPPORTED;
  }

  config(): ConfigDef {
    return DATAGEN_CONFIG_DEF;
  }
}
