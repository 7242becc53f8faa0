import { ConfigDef, oneOf, range } from "../api/config-def.ts";
import { parseAdminListeners, parseListeners } from "./listeners.ts";
import { CREDENTIALS_FILE_KEY, TOKENS_FILE_KEY, TOKENS_KEY } from "./middleware/auth-credentials.ts";
import { BODY_MAX_BYTES_KEY, DEFAULT_BODY_MAX_BYTES } from "./middleware/request-body.ts";
import { parseHeaderRules, RESPONSE_HEADERS_KEY } from "./middleware/response-headers.ts";

/**
 * The REST server's keys, with Kafka Connect's names and defaults (RestServerConfig): listeners, the advertised
 * URL, the admin listeners, CORS, response headers, and sluice's authentication and body limit. Kafka adds them to
 * its WorkerConfig; here the worker's runtime knows nothing of HTTP, and the command that assembles a worker parses
 * its properties against the worker's keys merged with these.
 */
/** Whether the worker serves its dashboard at /ui. */
export const UI_ENABLE_KEY = "rest.ui.enable";

export const restConfigDef = new ConfigDef()
  .define({
    name: "listeners",
    type: "list",
    defaultValue: ["http://:8083"],
    validator: (name, value) => void parseListeners(value as string[], name),
    importance: "low",
    documentation:
      "REST API listeners, comma separated, as http://host:port; an empty host means all interfaces (https is not supported yet).",
  })
  .define({
    name: "rest.advertised.host.name",
    type: "string",
    defaultValue: null,
    importance: "low",
    documentation: "Host name other workers and the status use for this worker; defaults to the listener's.",
  })
  .define({
    name: "rest.advertised.port",
    type: "int",
    defaultValue: null,
    importance: "low",
    documentation: "Port other workers and the status use for this worker; defaults to the listener's.",
  })
  .define({
    name: "rest.advertised.listener",
    type: "string",
    defaultValue: null,
    validator: oneOf(["http", "https"], { caseInsensitive: true }),
    importance: "low",
    documentation:
      "Protocol of the advertised URL (http or https, e.g. behind a TLS proxy); defaults to the listeners'.",
  })
  .define({
    name: "admin.listeners",
    type: "list",
    defaultValue: null,
    validator: (name, value) => void parseAdminListeners(value as string[] | null, name),
    importance: "low",
    documentation:
      "Listeners for the admin routes (/admin/loggers), as http://host:port; unset: on the main listeners; empty: disabled.",
  })
  .define({
    name: "access.control.allow.origin",
    type: "string",
    defaultValue: "",
    importance: "low",
    documentation:
      "Origins allowed to call the REST API from a browser (comma separated, * for any, * inside an entry as wildcard); empty: none.",
  })
  .define({
    name: "access.control.allow.methods",
    type: "string",
    defaultValue: "",
    importance: "low",
    documentation: "Methods allowed in cross-origin requests (comma separated); empty: GET, POST and HEAD.",
  })
  .define({
    name: RESPONSE_HEADERS_KEY,
    type: "string",
    defaultValue: "",
    validator: (_name, value) => void parseHeaderRules(value as string | null),
    importance: "low",
    documentation:
      "Headers added to every REST response: comma-separated rules '[action] [name]: [value]', action set, add, setDate or addDate.",
  })
  .define({
    name: CREDENTIALS_FILE_KEY,
    type: "string",
    defaultValue: null,
    importance: "low",
    documentation:
      "Turns on HTTP basic authentication: a properties file of user=password lines (a password may be a Bun.password hash).",
  })
  .define({
    name: TOKENS_FILE_KEY,
    type: "string",
    defaultValue: null,
    importance: "low",
    documentation: "Turns on bearer-token authentication: a file of accepted tokens, one a line (# comments).",
  })
  .define({
    name: TOKENS_KEY,
    type: "password",
    defaultValue: null,
    importance: "low",
    documentation: "Turns on bearer-token authentication: accepted tokens, comma separated.",
  })
  .define({
    name: BODY_MAX_BYTES_KEY,
    type: "int",
    defaultValue: DEFAULT_BODY_MAX_BYTES,
    validator: range(1),
    importance: "low",
    documentation:
      "sluice only: the most bytes a REST request body may have (8 MiB by default). A larger one is refused with 413 " +
      "before it is read: an announced Content-Length at once, a chunked body as soon as it passes the limit.",
  })
  .define({
    name: UI_ENABLE_KEY,
    type: "boolean",
    defaultValue: true,
    importance: "low",
    documentation:
      "sluice only: whether the worker serves its dashboard at /ui (a live view of the cluster's connectors and " +
      "tasks, with buttons that call this REST API). Off: /ui answers 404 like any unknown path.",
  })
  .define({
    name: "rest.auth.realm",
    type: "string",
    defaultValue: "sluice",
    importance: "low",
    documentation: "Realm named in the WWW-Authenticate challenges of a 401.",
  });
