import { Hono } from "hono";
import { inJavaHashMapOrder } from "../../common/java-hash-map-order.ts";
import type { ConnectorTaskId } from "../../common/status.ts";
import type { RestContext } from "../rest-context.ts";
import { RestError } from "../rest-error.ts";
import { taskStateBody } from "./connectors.ts";

/**
 * The task id of a path. Kafka's `{task}` is an Integer path parameter: one that is not a number does not match the
 * resource, which Jersey answers with 404.
 */
function taskId(connector: string, task: string): ConnectorTaskId {
  if (!/^-?\d{1,10}$/.test(task)) throw new RestError(404, `HTTP 404 Not Found: task id '${task}' is not a number`);
  return { connector, task: Number(task) };
}

/** `/connectors/{c}/tasks`: each task's configuration and status, and restarting one. */
export function connectorTaskRoutes({ herder }: RestContext): Hono {
  return (
    new Hono()
      // Kafka's Worker copies each task configuration into a HashMap (adding task.class), which Jackson writes in its order.
      .get("/:connector/tasks", (c) =>
        c.json(
          herder
            .taskInfos(c.req.param("connector"))
            .map(({ id, config }) => ({ id, config: inJavaHashMapOrder(config) })),
        ),
      )
      .get("/:connector/tasks/:task/status", (c) =>
        c.json(taskStateBody(herder.taskStateInfo(taskId(c.req.param("connector"), c.req.param("task"))))),
      )
      .post("/:connector/tasks/:task/restart", async (c) => {
        await herder.restartTask(taskId(c.req.param("connector"), c.req.param("task")));
        return c.body(null, 204);
      })
  );
}
