import { Hono } from "hono";
import * as v from "valibot";
import type { ConnectorStateInfo } from "../../runtime/standalone-herder.ts";
import type { RestContext } from "../rest-context.ts";
import { RestError } from "../rest-error.ts";
import { validate } from "../validate.ts";

const CreateConnectorBody = v.object({
  name: v.pipe(v.string(), v.trim(), v.nonEmpty("the connector name must not be empty")),
  config: v.record(v.string(), v.string()),
  initial_state: v.optional(v.picklist(["RUNNING", "PAUSED", "STOPPED"])),
});

/** Kafka Connect's ConnectorStateInfo body. `trace` is left out when empty, as Kafka's Jackson mapping does. */
export function stateInfoBody(info: ConnectorStateInfo) {
  const status = (s: { state: string; workerId: string; trace?: string }) => ({
    state: s.state,
    worker_id: s.workerId,
    ...(s.trace ? { trace: s.trace } : {}),
  });
  return {
    name: info.name,
    connector: status(info.connector),
    tasks: info.tasks.map((t) => ({ id: t.id, ...status(t) })),
    type: info.type,
  };
}

/** `/connectors`: list, create, inspect and delete connectors. */
export function connectorRoutes({ herder }: RestContext): Hono {
  return new Hono()
    .get("/", (c) => {
      const expand = c.req.queries("expand") ?? [];
      const names = herder.connectorNames();
      if (expand.length === 0) return c.json(names);
      const body: Record<string, Record<string, unknown>> = {};
      for (const name of names) {
        body[name] = {};
        if (expand.includes("status")) body[name].status = stateInfoBody(herder.connectorStateInfo(name));
        if (expand.includes("info")) body[name].info = herder.connectorInfo(name);
      }
      return c.json(body);
    })
    .post("/", validate("json", CreateConnectorBody), async (c) => {
      const { name, config } = c.req.valid("json");
      if (config.name !== undefined && config.name !== name) {
        throw new RestError(
          400,
          `Connector name configuration (${config.name}) doesn't match connector name in the URL (${name})`,
        );
      }
      const { info } = await herder.putConnectorConfig(name, config, false);
      c.header("Location", `/connectors/${encodeURIComponent(name)}`);
      return c.json(info, 201);
    })
    .get("/:connector", (c) => c.json(herder.connectorInfo(c.req.param("connector"))))
    .get("/:connector/config", (c) => c.json(herder.connectorInfo(c.req.param("connector")).config))
    .get("/:connector/status", (c) => c.json(stateInfoBody(herder.connectorStateInfo(c.req.param("connector")))))
    .delete("/:connector", async (c) => {
      await herder.deleteConnector(c.req.param("connector"));
      return c.body(null, 204);
    });
}
