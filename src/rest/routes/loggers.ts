import { Hono } from "hono";
import * as v from "valibot";
import { createLogger, knownLoggers, loggerLevel, parseLevel, setLevel } from "../../common/logger.ts";
import { stringMap } from "../config-map.ts";
import type { RestContext } from "../rest-context.ts";
import { RestError } from "../rest-error.ts";
import { validate } from "../validate.ts";

const log = createLogger("rest.loggers");

/** Kafka reads the body as a `Map<String, String>`: a number or boolean level is its text (and then refused). */
const LevelBody = stringMap("a value");

const LoggerParam = v.object({ logger: v.pipe(v.string(), v.nonEmpty("the logger name must not be empty")) });

const ScopeQuery = v.object({ scope: v.optional(v.string()) });

function levelBody(name: string) {
  const setting = loggerLevel(name);
  if (!setting) throw new RestError(404, `Logger ${name} not found.`);
  return { level: setting.level, last_modified: setting.lastModified };
}

/**
 * The admin API (Kafka's LoggingResource): read and change log levels at run time. Its own sub-app, so it can be
 * served under `/admin` on the main listener or on the `admin.listeners`.
 */
export function adminRoutes({ herder }: RestContext): Hono {
  return new Hono()
    .get("/loggers", (c) => {
      const body: Record<string, { level: string; last_modified: number | null }> = {};
      for (const name of knownLoggers()) body[name] = levelBody(name);
      return c.json(body);
    })
    .get("/loggers/:logger", validate("param", LoggerParam), (c) => c.json(levelBody(c.req.valid("param").logger)))
    .put(
      "/loggers/:logger",
      validate("param", LoggerParam),
      validate("query", ScopeQuery),
      validate("json", LevelBody),
      async (c) => {
        const namespace = c.req.valid("param").logger;
        const raw = c.req.valid("json").level;
        if (raw === undefined || raw === null) {
          throw new RestError(400, "Desired 'level' parameter was not specified in request.");
        }
        const level = parseLevel(raw);
        if (!level) throw new RestError(404, `invalid log level '${raw}'.`);
        const scope = c.req.valid("query").scope ?? "worker";
        if (scope.toLowerCase() === "cluster") {
          // Distributed: through the config topic to every worker, which applies it as it reads it. Standalone:
          // this worker is the whole cluster, so the level applies here (Kafka's StandaloneHerder).
          if (herder.setClusterLoggerLevel) await herder.setClusterLoggerLevel(namespace, raw);
          else setLevel(namespace, level);
          return c.body(null, 204);
        }
        if (scope.toLowerCase() !== "worker") {
          log.warn(`Received invalid scope '${scope}' in request to adjust logging level; will default to worker`);
        }
        return c.json(setLevel(namespace, level));
      },
    );
}
