import { Hono } from "hono";
import type { RestContext } from "../rest-context.ts";

/** `GET /`: the worker's version and the Kafka cluster it belongs to. */
export function rootRoutes(context: RestContext): Hono {
  return new Hono().get("/", (c) =>
    c.json({ version: context.version, commit: context.commit, kafka_cluster_id: context.kafkaClusterId() }),
  );
}
