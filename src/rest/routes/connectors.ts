import { Hono } from "hono";
import * as v from "valibot";
import { javaHashMapOrder } from "../../common/java-hash-map-order.ts";
import type { ConnectorStateInfo } from "../../runtime/herders/herder.ts";
import { ConfigMap, withScalarsAsText } from "../config-map.ts";
import { connectorLocation } from "../location.ts";
import type { RestContext } from "../rest-context.ts";
import { RestError } from "../rest-error.ts";
import { validate } from "../validate.ts";

/** Kafka's CreateConnectorRequest; its `name` is a String, so `"name": 123` names the connector "123" there too. */
const CreateConnectorBody = withScalarsAsText(
  v.object({
    name: v.pipe(v.string(), v.trim(), v.nonEmpty("the connector name must not be empty")),
    config: ConfigMap,
    // Kafka reads it case-insensitively, and its workers forward a create request to the leader with
    // `"initial_state": null` when none was given.
    initial_state: v.nullish(v.pipe(v.string(), v.toUpperCase(), v.picklist(["RUNNING", "PAUSED", "STOPPED"]))),
  }),
);

type StatusLike = { state: string; workerId: string; trace?: string; version?: string };

/** Kafka Connect's status entries. `trace` and `version` are left out when empty, as Kafka's Jackson mapping does. */
function statusBody(s: StatusLike) {
  return {
    state: s.state,
    worker_id: s.workerId,
    ...(s.version ? { version: s.version } : {}),
    ...(s.trace ? { trace: s.trace } : {}),
  };
}

/** Kafka Connect's ConnectorStateInfo body. */
export function stateInfoBody(info: ConnectorStateInfo) {
  return {
    name: info.name,
    connector: statusBody(info.connector),
    tasks: info.tasks.map((t) => ({ id: t.id, ...statusBody(t) })),
    type: info.type,
  };
}

/** Kafka's TaskState body: `{"id", "state", "worker_id", "trace"?}`. */
export function taskStateBody(task: StatusLike & { id: number }) {
  return { id: task.id, ...statusBody(task) };
}

/**
 * 400 when the body names another connector than the URL (Kafka's checkAndPutConnectorConfigName); a null `name`
 * counts as none, and the herder puts the URL's name in its place.
 */
function checkName(urlName: string, config: Readonly<Record<string, string | null>>): void {
  if (config.name != null && config.name !== urlName) {
    throw new RestError(
      400,
      `Connector name configuration (${config.name}) doesn't match connector name in the URL (${urlName})`,
    );
  }
}

/** `/connectors`: list, create, inspect, configure and delete connectors. */
export function connectorRoutes({ herder }: RestContext): Hono {
  return new Hono()
    .get("/", (c) => {
      const expand = c.req.queries("expand") ?? [];
      // Kafka lists its config snapshot's HashMap keys, and builds the expansions as a HashMap too.
      const names = javaHashMapOrder(herder.connectorNames());
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
      const { name, config, initial_state } = c.req.valid("json");
      checkName(name, config);
      const targetState = initial_state === "RUNNING" ? "STARTED" : (initial_state ?? undefined);
      const { info } = await herder.putConnectorConfig(name, config, false, targetState);
      c.header("Location", connectorLocation(c.req.url, name));
      return c.json(info, 201);
    })
    .get("/:connector", (c) => c.json(herder.connectorInfo(c.req.param("connector"))))
    .get("/:connector/config", (c) => c.json(herder.connectorInfo(c.req.param("connector")).config))
    .put("/:connector/config", validate("json", ConfigMap), async (c) => {
      const name = c.req.param("connector");
      const config = c.req.valid("json");
      checkName(name, config);
      const { created, info } = await herder.putConnectorConfig(name, config, true);
      if (!created) return c.json(info, 200);
      c.header("Location", connectorLocation(c.req.url, name));
      return c.json(info, 201);
    })
    .patch("/:connector/config", validate("json", ConfigMap), async (c) => {
      const { info } = await herder.patchConnectorConfig(c.req.param("connector"), c.req.valid("json"));
      return c.json(info, 200);
    })
    .get("/:connector/status", (c) => c.json(stateInfoBody(herder.connectorStateInfo(c.req.param("connector")))))
    .delete("/:connector", async (c) => {
      await herder.deleteConnector(c.req.param("connector"));
      return c.body(null, 204);
    });
}
