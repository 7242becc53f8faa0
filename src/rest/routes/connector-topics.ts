import { Hono } from "hono";
import type { RestContext } from "../rest-context.ts";
import { RestError } from "../rest-error.ts";

/**
 * `/connectors/{c}/topics`: the topics a connector's tasks have used (KIP-558), and their reset. Both answer 403
 * when the worker disables tracking (topic.tracking.enable) and the reset when it disallows it
 * (topic.tracking.allow.reset), with Kafka's messages. An unknown connector has no topics, as in Kafka.
 */
export function connectorTopicsRoutes({ herder }: RestContext): Hono {
  const requireTracking = () => {
    if (!herder.activeTopics.enabled) throw new RestError(403, "Topic tracking is disabled.");
  };
  return new Hono()
    .get("/:connector/topics", (c) => {
      requireTracking();
      const name = c.req.param("connector");
      return c.json({ [name]: { topics: herder.activeTopics.topics(name).map((t) => t.topic) } });
    })
    .put("/:connector/topics/reset", async (c) => {
      requireTracking();
      if (!herder.activeTopics.allowReset) throw new RestError(403, "Topic tracking reset is disabled.");
      await herder.activeTopics.reset(c.req.param("connector"));
      return c.body(null, 202);
    });
}
