import type { AbstractConfig } from "../../api/config-def.ts";
import { ConfigError } from "../../api/errors.ts";
import type { PluginRegistry } from "./plugin-registry.ts";

/**
 * The worker's `key.converter`, `value.converter` and `header.converter` must name plugins the worker has. Kafka's
 * WorkerConfig parses them as CLASS keys, so a class that cannot be loaded stops the worker before it starts; it
 * would otherwise fail every connector that relies on the worker's converters, each at its own `POST /connectors`.
 * A plugin of the wrong kind (a transform named as a converter) is refused here too, where Kafka would only fail
 * when the first connector starts.
 */
export function checkWorkerConverterClasses(config: AbstractConfig, plugins: PluginRegistry): void {
  for (const key of ["key.converter", "value.converter", "header.converter"] as const) {
    const value = config.values[key];
    if (typeof value !== "string") continue;
    if (plugins.plugin(value) === undefined) {
      // ConfigDef's message for a CLASS key whose class cannot be loaded.
      throw new ConfigError(`Invalid value ${value} for configuration ${key}: Class ${value} could not be found.`, {
        key,
      });
    }
    try {
      if (key === "header.converter") plugins.headerConverter(value);
      else plugins.converter(value);
    } catch (error) {
      throw new ConfigError(`Invalid value ${value} for configuration ${key}: ${(error as Error).message}`, {
        key,
        cause: error,
      });
    }
  }
}
