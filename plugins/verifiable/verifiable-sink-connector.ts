import { type ConfigDef, SinkConnector, type SinkTask, type TaskConfig } from "../../src/index.ts";
import { ID_CONFIG, VERIFIABLE_SINK_CONFIG_DEF } from "./verifiable-config.ts";
import { VerifiableSinkTask } from "./verifiable-sink-task.ts";
import { VERIFIABLE_PLUGIN_VERSION } from "./version.ts";

/** Kafka's VerifiableSinkConnector: `tasks.max` tasks, each with the whole configuration and its own `id`. */
export class VerifiableSinkConnector extends SinkConnector {
  private props: Readonly<Record<string, string>> = {};

  version(): string {
    return VERIFIABLE_PLUGIN_VERSION;
  }

  start(props: Readonly<Record<string, string>>): void {
    VERIFIABLE_SINK_CONFIG_DEF.parse(props);
    this.props = props;
  }

  taskConfigs(maxTasks: number): TaskConfig[] {
    return Array.from({ length: maxTasks }, (_, id) => ({ ...this.props, [ID_CONFIG]: String(id) }));
  }

  taskClass(): new () => SinkTask {
    return VerifiableSinkTask;
  }

  stop(): void {}

  config(): ConfigDef {
    return VERIFIABLE_SINK_CONFIG_DEF;
  }
}
