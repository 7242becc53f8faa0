/**
 * The REST listeners (`listeners`, `admin.listeners`) and the URL the worker advertises, as Kafka's RestServer
 * reads them: `protocol://host:port`, an empty host meaning every interface, IPv6 hosts in brackets. Only http is
 * served here; an https listener is a configuration error naming its key.
 */
import { hostname } from "node:os";
import { ConfigError } from "../api/errors.ts";

// Kafka's RestServer.LISTENER_PATTERN, anchored as Matcher.matches() is.
const LISTENER_PATTERN = /^(.*):\/\/\[?([0-9a-zA-Z\-%._:]*)\]?:(-?[0-9]+)$/;

export interface Listener {
  /** As configured, for messages. */
  readonly text: string;
  readonly protocol: "http";
  /** Empty means every interface. */
  readonly host: string;
  /** 0 picks a free port. */
  readonly port: number;
}

export function parseListener(text: string, key: string): Listener {
  const match = LISTENER_PATTERN.exec(text.trim());
  const fail = (reason: string) =>
    new ConfigError(`Invalid value ${text} for configuration ${key}: ${reason}`, { key });
  if (!match) throw fail("Listener doesn't have the right format (protocol://hostname:port).");
  const protocol = (match[1] as string).toLowerCase();
  if (protocol === "https") throw fail("https listeners are not supported yet; use http (e.g. behind a TLS proxy).");
  if (protocol !== "http") throw fail('Listener protocol must be either "http" or "https".');
  const port = Number(match[3]);
  if (port < 0 || port > 65535) throw fail(`Port ${port} is out of range (0 to 65535).`);
  return { text, protocol, host: match[2] as string, port };
}

/** `listeners`: at least one, none blank (Kafka's ListenersValidator), each well formed. */
export function parseListeners(items: readonly string[], key = "listeners"): Listener[] {
  if (items.length === 0) {
    throw new ConfigError(
      `Invalid value for ${key}, at least one URL is expected, ex: http://localhost:8080,https://localhost:8443.`,
      { key },
    );
  }
  return items.map((item) => {
    if (item.trim() === "") throw new ConfigError(`Empty URL found when parsing ${key} list.`, { key });
    return parseListener(item, key);
  });
}

/**
 * `admin.listeners`: null (unset) means the admin routes are on the main listeners, an empty list disables them;
 * duplicates are refused, as Kafka's validator does.
 */
export function parseAdminListeners(items: readonly string[] | null, key = "admin.listeners"): Listener[] | null {
  if (items === null) return null;
  const seen = new Set<string>();
  return items.map((item) => {
    if (item.trim() === "") throw new ConfigError(`Empty URL found when parsing ${key} list.`, { key });
    if (seen.has(item)) {
      throw new ConfigError(`Invalid value ${items.join(",")} for configuration ${key}: Duplicate value ${item}`, {
        key,
      });
    }
    seen.add(item);
    return parseListener(item, key);
  });
}

export interface AdvertisedUrlOptions {
  /** The main listeners, with the ports actually bound. */
  readonly bound: readonly Listener[];
  /** `rest.advertised.listener`, or null to take the protocol of the listeners. */
  readonly advertisedListener: string | null;
  readonly advertisedHostName: string | null;
  readonly advertisedPort: number | null;
}

/**
 * The URL given out to clients and other workers (RestServer.advertisedUrl): the first listener of the advertised
 * protocol, its host replaced by `rest.advertised.host.name` and its port by `rest.advertised.port` when set; an
 * empty host becomes this machine's name. The worker id in statuses is its `host:port`.
 */
export function advertisedUrl(options: AdvertisedUrlOptions): URL {
  const protocol = (options.advertisedListener ?? "http").toLowerCase();
  const listener = options.bound.find((l) => l.protocol === protocol) ?? options.bound[0];
  const host = options.advertisedHostName || listener?.host || hostname();
  const port = options.advertisedPort ?? listener?.port ?? 8083;
  const bracketed = host.includes(":") && !host.startsWith("[") ? `[${host}]` : host;
  return new URL(`${protocol}://${bracketed}:${port}`);
}

/** `host:port` of an advertised URL, as Kafka's worker id (without IPv6 brackets' loss of meaning). */
export function workerIdOf(url: URL): string {
  const port = url.port || (url.protocol === "https:" ? "443" : "80");
  return `${url.hostname}:${port}`;
}
