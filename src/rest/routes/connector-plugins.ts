import { Hono } from "hono";
import * as v from "valibot";
import { pluginConfigKeys } from "../../runtime/herders/plugin-config.ts";
import { ConfigMap } from "../config-map.ts";
import type { RestContext } from "../rest-context.ts";
import { RestError } from "../rest-error.ts";
import { validate } from "../validate.ts";

const ListQuery = v.object({
  // Kafka's JAX-RS boolean: "true" (any case) is true, anything else false; absent means true.
  connectorsOnly: v.optional(v.string(), "true"),
});

const PluginParam = v.object({ plugin: v.pipe(v.string(), v.nonEmpty("the plugin name must not be empty")) });

const ALIAS_SUFFIX = "Connector";

/** Kafka's ConnectorPluginsResource.normalizedPluginName: `FileStreamSinkConnector` and `FileStreamSink` match. */
function normalized(name: string): string {
  return name.endsWith(ALIAS_SUFFIX) && name.length > ALIAS_SUFFIX.length ? name.slice(0, -ALIAS_SUFFIX.length) : name;
}

/** `/connector-plugins`: what plugins the worker has, their configuration keys, and configuration validation. */
export function connectorPluginRoutes({ herder }: RestContext): Hono {
  return new Hono()
    .get("/", validate("query", ListQuery), (c) => {
      const connectorsOnly = c.req.valid("query").connectorsOnly.toLowerCase() === "true";
      const types = connectorsOnly
        ? (["source", "sink"] as const)
        : (["source", "sink", "converter", "header_converter", "transformation", "predicate"] as const);
      return c.json(
        herder
          .plugins()
          .descriptors(types)
          .map((d) => ({
            class: d.className,
            type: d.type,
            // Kafka leaves out a version it could not determine.
            ...(d.version && d.version !== "undefined" ? { version: d.version } : {}),
          })),
      );
    })
    .get("/:plugin/config", validate("param", PluginParam), (c) =>
      c.json(pluginConfigKeys(herder.plugins(), c.req.valid("param").plugin)),
    )
    .put("/:plugin/config/validate", validate("param", PluginParam), validate("json", ConfigMap), (c) => {
      const { plugin } = c.req.valid("param");
      const config = c.req.valid("json");
      const included = config["connector.class"];
      if (included != null && !normalized(included).endsWith(normalized(plugin))) {
        throw new RestError(400, `Included connector type ${included} does not match request type ${plugin}`);
      }
      return c.json(herder.validate(config).infos);
    });
}
