import type { ConfigDef, ConfigValue } from "./config-def.ts";

export type TaskConfig = Record<string, string>;

/** What the runtime offers a connector instance. */
export interface ConnectorContext {
  /** Asks the runtime to call `taskConfigs` again, e.g. because the set of source tables changed. */
  requestTaskReconfiguration(): void;
  /** Marks the connector FAILED with this error, from any asynchronous code of the connector's. */
  raiseError(error: Error): void;
}

/**
 * A connector instance: it reads its configuration and splits the work into task configurations. It moves no data
 * itself. Lifecycle: `initialize` → `start(props)` → `taskConfigs(maxTasks)` (again whenever reconfiguration is
 * requested) → `stop()`. The runtime calls these one at a time, never concurrently.
 */
export abstract class Connector {
  protected context!: ConnectorContext;

  initialize(context: ConnectorContext): void {
    this.context = context;
  }

  /** The plugin's version, reported by the REST API. */
  abstract version(): string;

  /** Starts with the connector's configuration (already validated against `config()`). */
  abstract start(props: Readonly<Record<string, string>>): void | Promise<void>;

  /** Up to `maxTasks` task configurations; each becomes one task. */
  abstract taskConfigs(maxTasks: number): TaskConfig[] | Promise<TaskConfig[]>;

  abstract stop(): void | Promise<void>;

  /** The connector's own configuration keys (the runtime adds the common ones such as `tasks.max`). */
  abstract config(): ConfigDef;

  /** Validates a configuration; the default checks it against `config()`. Override to add cross-key checks. */
  validate(props: Readonly<Record<string, string>>): ConfigValue[] {
    return this.config().validate(props);
  }
}
