import { Hono } from "hono";
import * as v from "valibot";
import type { RestContext } from "../rest-context.ts";
import { RestError } from "../rest-error.ts";
import { validate } from "../validate.ts";

/** A JSON object, or null / absent (valibot's record alone would also take an array). */
const JsonMap = v.optional(
  v.nullable(
    v.custom<Record<string, unknown>>(
      (value) => typeof value === "object" && value !== null && !Array.isArray(value),
      "must be a JSON object",
    ),
  ),
);

/** Kafka's ConnectorOffsets body: `{"offsets":[{"partition":{..},"offset":{..}|null}]}`. */
const ConnectorOffsetsBody = v.object({
  offsets: v.optional(v.nullable(v.array(v.object({ partition: JsonMap, offset: JsonMap })))),
});

/**
 * `/connectors/{c}/offsets` (KIP-875): read a connector's offsets in any state; alter (PATCH) or reset (DELETE)
 * them while it is STOPPED. Source connectors' offsets are their own maps; a sink's are its consumer group's.
 */
export function connectorOffsetsRoutes({ herder }: RestContext): Hono {
  return new Hono()
    .get("/:connector/offsets", async (c) => c.json(await herder.connectorOffsets(c.req.param("connector"))))
    .patch("/:connector/offsets", validate("json", ConnectorOffsetsBody), async (c) => {
      const { offsets } = c.req.valid("json");
      if (!offsets || offsets.length === 0) {
        throw new RestError(400, "Partitions / offsets need to be provided for an alter offsets request");
      }
      const normalized = offsets.map(({ partition, offset }) => ({
        partition: partition ?? null,
        offset: offset ?? null,
      }));
      return c.json(await herder.alterConnectorOffsets(c.req.param("connector"), normalized));
    })
    .delete("/:connector/offsets", async (c) => c.json(await herder.resetConnectorOffsets(c.req.param("connector"))));
}
