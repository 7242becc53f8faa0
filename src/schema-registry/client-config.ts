import { AbstractConfig, ConfigDef, type ConfigKey, oneOf, range } from "../api/config-def.ts";
import { ConfigError } from "../api/errors.ts";

/**
 * The Schema Registry client's keys, with Confluent's names, defaults and documentation (its
 * AbstractKafkaSchemaSerDeConfig and SchemaRegistryClientConfig): what every registry converter takes besides its
 * format's own keys.
 */

export const SCHEMA_REGISTRY_URL_CONFIG = "schema.registry.url";
export const REQUEST_HEADER_PREFIX = "request.header.";

const key = (k: Omit<ConfigKey, "group" | "orderInGroup" | "width" | "displayName">): ConfigKey => ({
  ...k,
  group: "Schema Registry",
  width: "medium",
});

export const schemaRegistryClientConfigDef = new ConfigDef()
  .define(
    key({
      name: SCHEMA_REGISTRY_URL_CONFIG,
      type: "list",
      importance: "high",
      documentation:
        "Comma-separated list of URLs for Schema Registry instances that can be used to register or look up schemas.",
    }),
  )
  .define(
    key({
      name: "max.schemas.per.subject",
      type: "int",
      defaultValue: 1000,
      importance: "low",
      documentation: "Maximum number of schemas to create or cache locally.",
    }),
  )
  .define(
    key({
      name: "basic.auth.credentials.source",
      type: "string",
      defaultValue: "URL",
      validator: oneOf(["URL", "USER_INFO", "SASL_INHERIT"]),
      importance: "medium",
      documentation:
        "Specify how to pick the credentials for the Basic Auth header. The supported values are URL, USER_INFO and SASL_INHERIT",
    }),
  )
  .define(
    key({
      name: "basic.auth.user.info",
      type: "password",
      defaultValue: "",
      importance: "medium",
      documentation: "Specify the user info for the Basic Auth in the form of {username}:{password}",
    }),
  )
  .define(
    key({
      name: "schema.registry.basic.auth.user.info",
      type: "password",
      defaultValue: "",
      importance: "medium",
      documentation:
        "Specify the user info for the Basic Auth in the form of {username}:{password} (deprecated: use basic.auth.user.info)",
    }),
  )
  .define(
    key({
      name: "bearer.auth.credentials.source",
      type: "string",
      defaultValue: "STATIC_TOKEN",
      validator: oneOf(["STATIC_TOKEN", "OAUTHBEARER"]),
      importance: "medium",
      documentation:
        "Specify how to pick the credentials for the Bearer Auth header. The supported values are STATIC_TOKEN and OAUTHBEARER",
    }),
  )
  .define(
    key({
      name: "bearer.auth.token",
      type: "password",
      defaultValue: "",
      importance: "medium",
      documentation: "Specify the Bearer token to be used for authentication",
    }),
  )
  .define(
    key({
      name: "bearer.auth.issuer.endpoint.url",
      type: "string",
      defaultValue: "",
      importance: "medium",
      documentation: "The HTTP(S)-based URL for the OAuth/OIDC identity provider.",
    }),
  )
  .define(
    key({
      name: "bearer.auth.client.id",
      type: "string",
      defaultValue: "",
      importance: "medium",
      documentation: "Client Id used to obtain Client Credentials Token from OAuth/OIDC identity provider.",
    }),
  )
  .define(
    key({
      name: "bearer.auth.client.secret",
      type: "password",
      defaultValue: "",
      importance: "medium",
      documentation: "Client secret used to obtain Client Credentials Token from OAuth/OIDC identity provider.",
    }),
  )
  .define(
    key({
      name: "bearer.auth.scope",
      type: "string",
      defaultValue: "",
      importance: "medium",
      documentation: "Access Token Scope used to obtain Client Credentials Token from OAuth/OIDC identity provider.",
    }),
  )
  .define(
    key({
      name: "bearer.auth.logical.cluster",
      type: "string",
      defaultValue: "",
      importance: "medium",
      documentation: "Schema Registry logical cluster id (sent as the target-sr-cluster header).",
    }),
  )
  .define(
    key({
      name: "bearer.auth.identity.pool.id",
      type: "string",
      defaultValue: "",
      importance: "medium",
      documentation: "Identity pool id (sent as the Confluent-Identity-Pool-Id header).",
    }),
  )
  .define(
    key({
      name: "bearer.auth.cache.expiry.buffer.seconds",
      type: "short",
      defaultValue: 300,
      importance: "low",
      documentation: "The buffer time, in seconds, before the token expires when it is fetched again.",
    }),
  )
  .define(
    key({
      name: "http.connect.timeout.ms",
      type: "int",
      defaultValue: 60000,
      validator: range(0),
      importance: "low",
      documentation: "Specify the http connection timeout",
    }),
  )
  .define(
    key({
      name: "http.read.timeout.ms",
      type: "int",
      defaultValue: 60000,
      validator: range(0),
      importance: "low",
      documentation: "Specify the http read timeout",
    }),
  )
  .define(
    key({
      name: "max.retries",
      type: "int",
      defaultValue: 3,
      validator: range(0),
      importance: "low",
      documentation: "The maximum number of retries for a request",
    }),
  )
  .define(
    key({
      name: "retries.wait.ms",
      type: "int",
      defaultValue: 1000,
      validator: range(0),
      importance: "low",
      documentation:
        "The maximum time to wait for the first retry. When jitter is applied, the actual wait may be less.",
    }),
  )
  .define(
    key({
      name: "retries.max.wait.ms",
      type: "int",
      defaultValue: 20000,
      validator: range(0),
      importance: "low",
      documentation: "The maximum time to wait for any retry.",
    }),
  )
  .define(
    key({
      name: "latest.cache.size",
      type: "int",
      defaultValue: 1000,
      importance: "low",
      documentation: "The maximum size for caches holding latest schemas",
    }),
  )
  .define(
    key({
      name: "latest.cache.ttl.sec",
      type: "long",
      defaultValue: -1,
      importance: "low",
      documentation: "The TTL for caches holding latest schemas, or -1 for no TTL",
    }),
  );

/** How the client authenticates; null for no Authorization header. */
export type Credentials =
  | { readonly kind: "basic"; readonly userInfo: string }
  | { readonly kind: "static-token"; readonly token: string }
  | {
      readonly kind: "oauth";
      readonly issuer: string;
      readonly clientId: string;
      readonly clientSecret: string;
      readonly scope: string;
      readonly expiryBufferMs: number;
    };

export interface ClientSettings {
  /** Base URLs without user info, in the order given. */
  readonly urls: readonly string[];
  readonly cacheCapacity: number;
  readonly credentials: Credentials | null;
  /** Extra headers on every request: `request.header.*` and the bearer cluster and pool ids. */
  readonly headers: Readonly<Record<string, string>>;
  readonly timeoutMs: number;
  readonly maxRetries: number;
  readonly retriesWaitMs: number;
  readonly retriesMaxWaitMs: number;
  readonly latestCacheSize: number;
  /** -1: a latest version is kept until evicted. */
  readonly latestCacheTtlMs: number;
}

/** Reads and checks the client's keys; a ConfigError names the key that is wrong. */
export function clientSettings(configs: Readonly<Record<string, string>>): ClientSettings {
  const config = new AbstractConfig(schemaRegistryClientConfigDef, configs);
  const listed = config.getList(SCHEMA_REGISTRY_URL_CONFIG).filter((u) => u !== "");
  if (listed.length === 0) {
    throw new ConfigError(
      `Missing required configuration "${SCHEMA_REGISTRY_URL_CONFIG}" which has no default value.`,
      {
        key: SCHEMA_REGISTRY_URL_CONFIG,
      },
    );
  }
  let urlUserInfo: string | null = null;
  const urls = listed.map((raw) => {
    let url: URL;
    try {
      url = new URL(raw);
    } catch {
      throw new ConfigError(`Invalid value ${raw} for configuration ${SCHEMA_REGISTRY_URL_CONFIG}: not a URL`, {
        key: SCHEMA_REGISTRY_URL_CONFIG,
      });
    }
    if (url.protocol !== "http:" && url.protocol !== "https:") {
      throw new ConfigError(
        `Invalid value ${raw} for configuration ${SCHEMA_REGISTRY_URL_CONFIG}: only http and https URLs are supported`,
        { key: SCHEMA_REGISTRY_URL_CONFIG },
      );
    }
    if (url.username !== "" && urlUserInfo === null) {
      urlUserInfo = `${decodeURIComponent(url.username)}:${decodeURIComponent(url.password)}`;
    }
    url.username = "";
    url.password = "";
    return url.toString().replace(/\/$/, "");
  });
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(configs)) {
    if (name.startsWith(REQUEST_HEADER_PREFIX)) headers[name.slice(REQUEST_HEADER_PREFIX.length)] = value;
  }
  const cluster = config.getString("bearer.auth.logical.cluster");
  if (cluster !== "") headers["target-sr-cluster"] = cluster;
  const pool = config.getString("bearer.auth.identity.pool.id");
  if (pool !== "") headers["Confluent-Identity-Pool-Id"] = pool;
  return {
    urls,
    cacheCapacity: config.getInt("max.schemas.per.subject"),
    credentials: credentials(config, configs, urlUserInfo),
    headers,
    timeoutMs: config.getInt("http.connect.timeout.ms") + config.getInt("http.read.timeout.ms"),
    maxRetries: config.getInt("max.retries"),
    retriesWaitMs: config.getInt("retries.wait.ms"),
    retriesMaxWaitMs: config.getInt("retries.max.wait.ms"),
    latestCacheSize: config.getInt("latest.cache.size"),
    latestCacheTtlMs: config.getLong("latest.cache.ttl.sec") < 0 ? -1 : config.getLong("latest.cache.ttl.sec") * 1000,
  };
}

/**
 * Confluent's rule: basic auth when `basic.auth.credentials.source` is given (URL: the user info of the URL;
 * USER_INFO: `basic.auth.user.info`) or a URL carries user info; bearer auth when `bearer.auth.credentials.source`
 * is given. Both at once is refused.
 */
function credentials(
  config: AbstractConfig,
  configs: Readonly<Record<string, string>>,
  urlUserInfo: string | null,
): Credentials | null {
  const basicSource = config.getString("basic.auth.credentials.source");
  const basicGiven = "basic.auth.credentials.source" in configs || urlUserInfo !== null;
  const bearerGiven = "bearer.auth.credentials.source" in configs;
  if (basicGiven && bearerGiven) {
    throw new ConfigError(
      "Only one of basic.auth.credentials.source and bearer.auth.credentials.source may be set, not both",
      { key: "bearer.auth.credentials.source" },
    );
  }
  if (bearerGiven) return bearer(config);
  if (!basicGiven) return null;
  if (basicSource === "SASL_INHERIT") {
    throw new ConfigError(
      "basic.auth.credentials.source=SASL_INHERIT is not supported by sluice: give basic.auth.user.info with USER_INFO",
      { key: "basic.auth.credentials.source" },
    );
  }
  if (basicSource === "URL") {
    if (urlUserInfo === null) {
      throw new ConfigError(
        "basic.auth.credentials.source=URL needs the user info in schema.registry.url (http://user:password@host)",
        { key: "basic.auth.credentials.source" },
      );
    }
    return { kind: "basic", userInfo: urlUserInfo };
  }
  const userInfo = config.getString("basic.auth.user.info") || config.getString("schema.registry.basic.auth.user.info");
  if (!userInfo.includes(":")) {
    throw new ConfigError("basic.auth.user.info must be given as {username}:{password} with USER_INFO", {
      key: "basic.auth.user.info",
    });
  }
  return { kind: "basic", userInfo };
}

function bearer(config: AbstractConfig): Credentials {
  if (config.getString("bearer.auth.credentials.source") === "STATIC_TOKEN") {
    const token = config.getString("bearer.auth.token");
    if (token === "") {
      throw new ConfigError("bearer.auth.token must be set with bearer.auth.credentials.source=STATIC_TOKEN", {
        key: "bearer.auth.token",
      });
    }
    return { kind: "static-token", token };
  }
  for (const name of ["bearer.auth.issuer.endpoint.url", "bearer.auth.client.id", "bearer.auth.client.secret"]) {
    if (config.getString(name) === "") {
      throw new ConfigError(`${name} must be set with bearer.auth.credentials.source=OAUTHBEARER`, { key: name });
    }
  }
  return {
    kind: "oauth",
    issuer: config.getString("bearer.auth.issuer.endpoint.url"),
    clientId: config.getString("bearer.auth.client.id"),
    clientSecret: config.getString("bearer.auth.client.secret"),
    scope: config.getString("bearer.auth.scope"),
    expiryBufferMs: config.getInt("bearer.auth.cache.expiry.buffer.seconds") * 1000,
  };
}
