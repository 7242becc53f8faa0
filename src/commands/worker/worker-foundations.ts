import { AbstractConfig, type ConfigDef } from "../../api/config-def.ts";
import { restConfigDef } from "../../rest/rest-config.ts";
import type { ConfigTransformer } from "../../runtime/config/config-transformer.ts";
import { createWorkerConfigTransformer } from "../../runtime/config/providers/create-config-providers.ts";
import { locate, type SourcedProperties } from "../../runtime/config/sourced-properties.ts";
import { PluginRegistry } from "../../runtime/plugins/plugin-registry.ts";
import { BUNDLED_PLUGINS } from "./bundled-plugins.ts";

/** What every worker, standalone or distributed, sets up first: its checked configuration, Kafka and plugins. */
export interface WorkerFoundations {
  readonly config: AbstractConfig;
  readonly bootstrap: string;
  readonly clusterId: string | null;
  readonly plugins: PluginRegistry;
  readonly configTransformer: ConfigTransformer;
}

/**
 * Parses the worker's properties against its mode's keys and the REST server's, proves Kafka answers, loads the plugins and the
 * configuration providers. Errors name the properties file, line and key where they can.
 */
export async function loadWorkerFoundations(
  definition: ConfigDef,
  worker: SourcedProperties,
  checkKafka: (bootstrapServers: string) => Promise<string | null>,
): Promise<WorkerFoundations> {
  let config: AbstractConfig;
  try {
    config = new AbstractConfig(definition.merge(restConfigDef), worker.props);
  } catch (error) {
    throw locate(error, worker);
  }
  const bootstrap = config.getList("bootstrap.servers").join(",");
  const clusterId = await checkKafka(bootstrap);
  const pluginPath = config.getList("plugin.path");
  const plugins = await PluginRegistry.load(pluginPath, BUNDLED_PLUGINS).catch((error) => {
    throw locate(error, worker);
  });
  const configTransformer = await createWorkerConfigTransformer(config.originals, pluginPath).catch((error) => {
    throw locate(error, worker);
  });
  return { config, bootstrap, clusterId, plugins, configTransformer };
}
