import type { Hono } from "hono";
import { AbstractConfig, type ConfigDef } from "../../api/config-def.ts";
import type { KafkaClientFactory } from "../../kafka/types.ts";
import { restConfigDef } from "../../rest/rest-config.ts";
import type { RestContext } from "../../rest/rest-context.ts";
import type { ConfigTransformer } from "../../runtime/config/config-transformer.ts";
import { createWorkerConfigTransformer } from "../../runtime/config/providers/create-config-providers.ts";
import { locate, type SourcedProperties } from "../../runtime/config/sourced-properties.ts";
import { PrometheusExposition } from "../../runtime/metrics/prometheus-exposition.ts";
import type { RebalanceMetrics } from "../../runtime/metrics/rebalance-metrics.ts";
import { PluginRegistry } from "../../runtime/plugins/plugin-registry.ts";
import { checkWorkerConverterClasses } from "../../runtime/plugins/worker-converter-classes.ts";
import type { Worker } from "../../runtime/worker.ts";
import { BUNDLED_PLUGINS } from "./bundled-plugins.ts";

/** What starting a worker takes in either mode. */
export interface WorkerStartOptions {
  /** The worker's properties, with the file and lines they came from (named in errors). */
  readonly worker: SourcedProperties;
  readonly kafka: KafkaClientFactory;
  /** sluice's version, reported by `GET /`. */
  readonly version: string;
  /** Resolves the Kafka cluster id, proving the brokers answer; rejects with a clear error when they do not. */
  readonly checkKafka: (bootstrapServers: string) => Promise<string | null>;
  /** The `/admin` routes (loggers), served where `admin.listeners` says. */
  readonly adminRoutes?: (context: RestContext) => Hono;
  /**
   * Aborted when the worker is asked to stop while it starts (a SIGTERM): the start resolves early (a standalone
   * worker starts no further connector, a distributed one joins no group), and the caller's `stop()` stops what
   * did start.
   */
  readonly signal?: AbortSignal;
}

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

/** `GET /metrics` of a worker: its connectors, tasks and start-ups, and its group's rebalances in distributed mode. */
export function workerMetrics(worker: Worker, rebalance: RebalanceMetrics | null): PrometheusExposition {
  return new PrometheusExposition({
    connectors: () => worker.connectorMetrics(),
    tasks: () => worker.taskMetrics(),
    startups: () => worker.startupMetrics.values(),
    rebalance: () => rebalance?.values() ?? null,
  });
}
