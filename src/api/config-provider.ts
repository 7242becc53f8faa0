/**
 * Configuration providers (Kafka's ConfigProvider, KIP-297): they supply values that configurations name with a
 * placeholder `${provider:[path:]key}` instead of writing them out, so secrets stay out of stored configurations and
 * REST responses. A worker declares them with `config.providers=<names>`, `config.providers.<name>.class` and
 * `config.providers.<name>.param.<param>`; the worker resolves placeholders in a copy of a connector's configuration
 * each time the connector or one of its tasks starts.
 */

/** What a provider found at one path: values by key, and optionally how many milliseconds they stay valid. */
export interface ConfigData {
  readonly data: Readonly<Record<string, string>>;
  /** Kafka's TTL; kept for plugin authors who set it. sluice does not yet restart connectors when it expires. */
  readonly ttl?: number;
}

/**
 * A source of configuration values. Lifecycle: created, `configure` once with its `param.*` settings, then `get` any
 * number of times (possibly concurrently, from several connectors starting at once), then `close` when the worker
 * stops. A provider that cannot read what it was asked for throws a ConfigError naming the path; a key it does not
 * have is simply left out of `data` (the placeholder then stays as it was, as in Kafka).
 */
export interface ConfigProvider {
  /** Receives `config.providers.<name>.param.*` with the prefix removed; throws ConfigError on a bad parameter. */
  configure(params: Readonly<Record<string, string>>): void | Promise<void>;
  /**
   * The values at `path` ("" when the placeholder has none). With `keys`, only those keys are wanted; a provider may
   * return more, the worker uses only what it asked for.
   */
  get(path: string, keys?: ReadonlySet<string>): ConfigData | Promise<ConfigData>;
  /** Releases what the provider holds (connections, watches). Optional. */
  close?(): void | Promise<void>;
}

/**
 * How a plugin offers a provider: a plugin module on `plugin.path` exports `configProviders`, a list of these (next
 * to its `manifests`), and a worker names one with `config.providers.<name>.class` (its class name or an alias).
 */
export interface ConfigProviderManifest {
  readonly type: "config_provider";
  /** e.g. `org.apache.kafka.common.config.provider.FileConfigProvider`. */
  readonly className: string;
  readonly aliases?: readonly string[];
  readonly version: string;
  /** A new, unconfigured instance. */
  create(): ConfigProvider;
}
