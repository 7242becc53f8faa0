import { Hono } from "hono";
import type { RestContext } from "../rest-context.ts";
import { stateInfoBody } from "./connectors.ts";

/** A JAX-RS Boolean query parameter: "true" in any case is true, anything else (or nothing) false. */
const flag = (value: string | undefined) => value?.toLowerCase() === "true";

/** `/connectors/{c}/pause|resume|stop|restart`: moving a connector between states. */
export function connectorLifecycleRoutes({ herder }: RestContext): Hono {
  return new Hono()
    .put("/:connector/pause", async (c) => {
      await herder.pauseConnector(c.req.param("connector"));
      return c.body(null, 202);
    })
    .put("/:connector/resume", async (c) => {
      await herder.resumeConnector(c.req.param("connector"));
      return c.body(null, 202);
    })
    .put("/:connector/stop", async (c) => {
      await herder.stopConnector(c.req.param("connector"));
      return c.body(null, 204);
    })
    .post("/:connector/restart", async (c) => {
      const name = c.req.param("connector");
      const includeTasks = flag(c.req.query("includeTasks"));
      const onlyFailed = flag(c.req.query("onlyFailed"));
      // Both false: the connector instance alone, 204 with no body, as Kafka keeps it for older clients.
      if (!includeTasks && !onlyFailed) {
        await herder.restartConnector(name);
        return c.body(null, 204);
      }
      const plan = await herder.restartConnectorAndTasks(name, { includeTasks, onlyFailed });
      return c.json(stateInfoBody(plan), 202);
    });
}
