import { type ConfigDef, SourceConnector, type SourceTask, type TaskConfig } from "../../src/index.ts";
import { ID_CONFIG, VERIFIABLE_SOURCE_CONFIG_DEF } from "./verifiable-config.ts";
import { VerifiableSourceTask } from "./verifiable-source-task.ts";
import { VERIFIABLE_PLUGIN_VERSION } from "./version.ts";

/** Kafka's VerifiableSourceConnector: `tasks.max` tasks, each with the whole configuration and its own `id`. */
export class VerifiableSourceConnector extends SourceConnector {
  private props: Readonly<Record<string, string>> = {};

  version(): string {
    return VERIFIABLE_PLUGIN_VERSION;
  }

  start(props: Readonly<Record<string, string>>): void {
    VERIFIABLE_SOURCE_CONFIG_DEF.parse(props);
    this.props = props;
  }

  taskConfigs(maxTasks: number): TaskConfig[] {
    return Array.from({ length: maxTasks }, (_, id) => ({ ...this.props, [ID_CONFIG]: String(id) }));
  }

  taskClass(): new () => SourceTask {
    return VerifiableSourceTask;
  }

  stop(): void {}

  config(): ConfigDef {
    return VERIFIABLE_SOURCE_CONFIG_DEF;
  }
}
