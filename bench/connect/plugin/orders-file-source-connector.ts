import { ConfigDef, SourceConnector, type SourceTask } from "../../../src/index.ts";
import { OrdersFileSourceTask, VERSION } from "./orders-file-source-task.ts";

/** Splits the file among `tasks.max` tasks by line index, as the Java OrdersFileSourceConnector does. */
export class OrdersFileSourceConnector extends SourceConnector {
  private props: Record<string, string> = {};

  version(): string {
    return VERSION;
  }

  start(props: Readonly<Record<string, string>>): void {
    this.props = { ...props };
  }

  taskClass(): new () => SourceTask {
    return OrdersFileSourceTask;
  }

  taskConfigs(maxTasks: number): Record<string, string>[] {
    return Array.from({ length: maxTasks }, (_, i) => ({
      ...this.props,
      "task.index": String(i),
      "task.count": String(maxTasks),
    }));
  }

  stop(): void {}

  config(): ConfigDef {
    return new ConfigDef()
      .define({ name: "file", type: "string", importance: "high", documentation: "File of JSON orders, one per line." })
      .define({ name: "topic", type: "string", importance: "high", documentation: "Topic to write to." })
      .define({
        name: "batch.size",
        type: "int",
        defaultValue: 2000,
        importance: "low",
        documentation: "Records per poll.",
      })
      .define({
        name: "schemas",
        type: "boolean",
        defaultValue: false,
        importance: "low",
        documentation: "Emit Structs with a schema.",
      })
      .define({
        name: "rate",
        type: "int",
        defaultValue: 0,
        importance: "low",
        documentation: "Records per second per task; 0: unlimited.",
      });
  }
}
