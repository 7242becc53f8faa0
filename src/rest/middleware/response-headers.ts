/**
 * `response.http.headers.config`: extra response headers, in the syntax of Jetty's HeaderFilter that Kafka
 * Connect configures: comma-separated rules `[action] [name]: [value]`, a rule in double quotes when it holds a
 * comma. Actions (any case): `set`, `add`, `setDate`, `addDate`; the date actions take a number of milliseconds
 * from now and send that instant as an HTTP date. Checked at start-up with Kafka's validator's messages; a date
 * rule whose value is not a number is refused there too (Jetty would fail on every request instead).
 */
import type { MiddlewareHandler } from "hono";
import { ConfigError } from "../../api/errors.ts";

export const RESPONSE_HEADERS_KEY = "response.http.headers.config";

const ACTIONS = ["set", "add", "setDate", "addDate"] as const;
type Action = (typeof ACTIONS)[number];

export interface HeaderRule {
  readonly action: Action;
  readonly name: string;
  readonly value: string;
}

/** Jetty's `StringUtil.csvSplit`: commas separate items, double quotes protect commas, `\` escapes in quotes. */
function csvSplit(text: string): string[] {
  const items: string[] = [];
  let current = "";
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i] as string;
    if (quoted) {
      if (ch === "\\" && i + 1 < text.length) current += text[++i];
      else if (ch === '"') quoted = false;
      else current += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ",") {
      items.push(current.trim());
      current = "";
    } else current += ch;
  }
  items.push(current.trim());
  return items;
}

function invalid(message: string): ConfigError {
  return new ConfigError(`Invalid value for configuration ${RESPONSE_HEADERS_KEY}: ${message}`, {
    key: RESPONSE_HEADERS_KEY,
  });
}

function parseRule(rule: string): HeaderRule {
  const tokens = rule.trim().split(/\s+/);
  const method = tokens[0] ?? "";
  const header = rule.trim().slice(method.length);
  if (tokens.length < 2 || method === "") {
    throw invalid(`Invalid format of header config '${rule}'. Expected: '[action] [header name]:[header value]'`);
  }
  const action = ACTIONS.find((a) => a.toLowerCase() === method.toLowerCase());
  if (!action) throw invalid(`Invalid header config action: '${method}'. Expected one of [${ACTIONS.join(", ")}]`);
  // Java's split(":") drops trailing empty strings, so "Name:" has one token and is refused like "a:b:c".
  const parts = header.trim().split(":");
  while (parts.length > 0 && parts[parts.length - 1] === "") parts.pop();
  if (parts.length !== 2) {
    throw invalid(
      `Invalid format of header name and header value pair '${header}'. Expected: '[header name]:[header value]'`,
    );
  }
  const name = (parts[0] as string).trim();
  const value = (parts[1] as string).trim();
  if (name === "" || /\s/.test(name)) {
    throw invalid(`Invalid header name '${name}'. The '[header name]' cannot contain whitespace`);
  }
  if ((action === "setDate" || action === "addDate") && !/^-?\d+$/.test(value)) {
    throw invalid(`Invalid header value '${value}' for ${action}: expected a number of milliseconds`);
  }
  return { action, name, value };
}

/** The rules of a `response.http.headers.config` value; blank means none. Throws a ConfigError naming the key. */
export function parseHeaderRules(config: string | null | undefined): HeaderRule[] {
  if (!config || config.trim() === "") return [];
  return csvSplit(config).map(parseRule);
}

/** Applies the rules to every response, after the route has answered (so a rule's `set` wins). */
export function responseHeaders(rules: readonly HeaderRule[]): MiddlewareHandler {
  return async function responseHeaders(c, next) {
    await next();
    for (const { action, name, value } of rules) {
      const date = () => new Date(Date.now() + Number(value)).toUTCString();
      if (action === "set") c.res.headers.set(name, value);
      else if (action === "add") c.res.headers.append(name, value);
      else if (action === "setDate") c.res.headers.set(name, date());
      else c.res.headers.append(name, date());
    }
  };
}
