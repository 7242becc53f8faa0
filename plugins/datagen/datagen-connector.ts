import { type ConfigDef, SourceConnector, type SourceTask, type TaskConfig } from "../../src/index.ts";
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

  config(): ConfigDef {
    return DATAGEN_CONFIG_DEF;
  }
}
