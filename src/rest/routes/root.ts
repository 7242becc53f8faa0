import { Hono } from "hono";
import type { RestContext } from "../rest-context.ts";

/**
 * The Apache Kafka Connect release whose REST API sluice serves, and so what `GET /` reports as `version`. Clients
 * and tools read that field as Kafka Connect's version to decide what they may call (stopping a connector and its
 * offsets need 3.5, for instance); sluice's own version, 0.x, would make them take it for an old Connect. Raise it
 * only once the API matches a newer release.
 */
export const KAFKA_CONNECT_API_VERSION = "4.1.1";

/**
 * `GET /`: Kafka's ServerInfo (`version`, `commit`, `kafka_cluster_id`), then sluice's own version in a field of its
 * own, which Kafka's clients ignore as they ignore any unknown field.
 */
export function rootRoutes(context: RestContext): Hono {
  return new Hono().get("/", (c) =>
    c.json({
      version: KAFKA_CONNECT_API_VERSION,
      commit: context.commit,
      kafka_cluster_id: context.kafkaClusterId(),
      sluice_version: context.version,
    }),
  );
}
