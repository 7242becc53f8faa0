import { type Context, Hono } from "hono";
import { describeRoute } from "hono-openapi";
import { ConnectError } from "../../api/errors.ts";
import type { InternalRequestSignature } from "../../runtime/distributed/internal-requests.ts";
import { signatureFromHeaders, verifySignature } from "../internal-request-signature.ts";
import { parseJsonBody, scalarText } from "../json-body.ts";
import type { RestContext } from "../rest-context.ts";
import { RestError } from "../rest-error.ts";

/** Kafka hides these from its OpenAPI document: only workers call them. */
const hidden = describeRoute({ hide: true });

/** Kafka's StandaloneHerder throws UnsupportedOperationException, which its REST layer answers with 500. */
class UnsupportedOperationError extends ConnectError {
  constructor(message: string) {
    super(message, { code: "UNSUPPORTED_OPERATION" });
  }
}

/**
 * The body of `POST /connectors/{c}/tasks`: a JSON list of task-config maps. Scalars become their text, as Jackson
 * reads them into Kafka's `List<Map<String, String>>`.
 */
function parseTaskConfigs(body: Uint8Array): Record<string, string>[] {
  const parsed = parseJsonBody(new TextDecoder().decode(body));
  if (!Array.isArray(parsed)) throw new RestError(400, "Invalid request json: expected a list of task configurations");
  return parsed.map((entry: unknown, index) => {
    if (typeof entry !== "object" || entry === null || Array.isArray(entry)) {
      throw new RestError(400, `Invalid request json at '${index}': a task configuration must be a JSON object`);
    }
    const config: Record<string, string> = {};
    for (const [key, value] of Object.entries(entry)) {
      const text = scalarText(entry, key, value);
      if (typeof text !== "string") {
        throw new RestError(
          400,
          `Invalid request json at '${index}.${key}': a task configuration value must be a string`,
        );
      }
      config[key] = text;
    }
    return config;
  });
}

/**
 * Kafka's internal cluster resource: workers send the leader their connectors' task configurations and ask it to
 * fence zombie source tasks. The body is read as bytes first, so the signature is checked over exactly what was
 * sent (and a forwarded request resends those bytes). In distributed mode the signature is verified here, before
 * the herder sees the request; a herder without these methods answers as Kafka's standalone herder does.
 */
export function internalRoutes({ herder, internalRequests }: RestContext): Hono {
  const signed = (c: Context, body: Uint8Array): InternalRequestSignature | null => {
    const signature = signatureFromHeaders((name) => c.req.header(name), body);
    if (internalRequests) {
      // Authentication let the request in on its signature: it is checked, even if the protocol changed since.
      const required = c.get("signatureRequired") === true || internalRequests.required();
      verifySignature(signature, internalRequests, required);
    }
    return signature;
  };
  return new Hono()
    .post("/:connector/tasks", hidden, async (c) => {
      const body = new Uint8Array(await c.req.arrayBuffer());
      const configs = parseTaskConfigs(body);
      const signature = signed(c, body);
      if (!herder.putTaskConfigs) {
        throw new UnsupportedOperationError(
          "Kafka Connect in standalone mode does not support externally setting task configurations.",
        );
      }
      await herder.putTaskConfigs(c.req.param("connector"), configs, signature);
      return c.body(null, 204);
    })
    .put("/:connector/fence", hidden, async (c) => {
      const body = new Uint8Array(await c.req.arrayBuffer());
      const signature = signed(c, body);
      if (!herder.fenceZombieSourceTasks) {
        throw new UnsupportedOperationError(
          "Kafka Connect in standalone mode does not support exactly-once source connectors.",
        );
      }
      await herder.fenceZombieSourceTasks(c.req.param("connector"), signature);
      return c.body(null, 204);
    });
}
