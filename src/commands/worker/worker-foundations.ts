import { AbstractConfig, type ConfigDef } from "../../api/config-def.ts";
import { restConfigDef } from "../../rest/rest-config.ts";
import type { ConfigTransformer } from "../../runtime/config/config-transformer.ts";
import { createWorkerConfigTransformer } from "../../runtime/config/providers/create-config-providers.ts";
import { locate, type SourcedProperties } from "../../runtime/config/sourced-properties.ts";
import { PluginRegistry } from "../../runtime/plugins/plugin-registry.ts";
import { checkWorkerConverterClasses } from "../../runtime/plugins/worker-converter-classes.ts";
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
 * Parses the worker's properties against its mode's keys and the REST server's, loads the plugins (checking the
 * worker's converter classes), proves Kafka answers, and loads the configuration providers. Errors name the
 * properties file, line and key where they can.
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
  // Plugins before Kafka: a converter class that does not exist is a mistake in the file, said before any wait on
  // the brokers, as Kafka refuses it while parsing its WorkerConfig.
  const pluginPath = config.getList("plugin.path");
  const plugins = await PluginRegistry.load(pluginPath, BUNDLED_PLUGINS).catch((error) => {
    throw locate(error, worker);
  });
  try {
    checkWorkerConverterClasses(config, plugins);
  } catch (error) {
    throw locate(error, worker);
  }
  const bootstrap = config.getList("bootstrap.servers").join(",");
  const clusterId = await checkKafka(bootstrap);
  const configTransformer = await createWorkerConfigTransformer(config.originals, pluginPath).catch((error) => {
    throw locate(error, worker);
  });
  return { config, bootstrap, clusterId, plugins, configTransformer };
}
