/**
 * The `Location` of a created connector, as Kafka builds it: ConnectorsResource gives JAX-RS the relative
 * `UriBuilder.fromUri("/connectors").path(name)`, and Jersey resolves it against the request's base URI, so the
 * header is absolute and names the worker the way the client reached it: the request's scheme and `Host` (with the
 * connection's own address when there is no Host). `rest.advertised.*` plays no part, and a worker that forwarded
 * the request to the leader answers with its own URL, not the leader's.
 */

/** What `UriBuilder.path` leaves as it is in a path and encodeURIComponent escapes: sub-delims, `:` and `@`. */
const KEPT_IN_PATH = /%(24|26|2B|2C|3B|3D|3A|40)/g;

/**
 * A connector name as one path segment, percent-encoded in UTF-8 as `UriBuilder.path` encodes it, with three
 * differences, each where Kafka's URL would not lead back to the connector: `/` is escaped (Kafka leaves it, so
 * `a/b` gives `/connectors/a/b`), `%` is always escaped (Kafka keeps a `%20` already in a name, so `a%20b` gives the
 * URL of `a b`), and `{` `}` are escaped (Kafka takes them for a URI template and answers 500 after creating).
 */
export function connectorPathSegment(name: string): string {
  return encodeURIComponent(name).replace(KEPT_IN_PATH, (escaped) => decodeURIComponent(escaped));
}

/** `Location` for connector `name`, created by the request to `requestUrl`. */
export function connectorLocation(requestUrl: string, name: string): string {
  return new URL(`/connectors/${connectorPathSegment(name)}`, requestUrl).href;
}

/**
 * Another worker's `Location` (absolute, or relative from an earlier sluice) made this worker's: its path on this
 * request's base, as Kafka's worker builds the header itself after forwarding.
 */
export function rebasedLocation(location: string, otherWorkerUrl: string, requestUrl: string): string {
  const { pathname, search } = new URL(location, otherWorkerUrl);
  return new URL(`${pathname}${search}`, requestUrl).href;
}
