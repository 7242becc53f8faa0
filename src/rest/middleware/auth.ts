/**
 * Optional authentication of REST requests (`rest.auth.*`, see auth-credentials.ts): HTTP basic against the
 * credentials file and/or bearer tokens, checked by hono's basicAuth and bearerAuth middleware. A request without
 * valid credentials gets 401 with Kafka's message ("User cannot access the resource.", as its JAAS basic-auth
 * filter) in Kafka's error body, and a `WWW-Authenticate` challenge for each enabled scheme.
 *
 * Kafka's internal requests (task configs, fencing) are exempt only while their signature is checked instead (a
 * distributed worker whose group runs the `sessioned` protocol). Kafka's filter exempts them always, so with
 * `connect.protocol=compatible` (no session key, no signatures) anyone could post forged task configurations and
 * have the leader run tasks writing where the forger said; here such a request needs credentials like any other.
 */
import type { MiddlewareHandler } from "hono";
import { basicAuth } from "hono/basic-auth";
import { bearerAuth } from "hono/bearer-auth";
import { HTTPException } from "hono/http-exception";
import { type AuthCredentials, passwordMatches } from "./auth-credentials.ts";

const INTERNAL_REQUESTS: readonly [string, RegExp][] = [
  ["POST", /^\/connectors\/[^/]+\/tasks\/?$/],
  ["PUT", /^\/connectors\/[^/]+\/fence\/?$/],
];

declare module "hono" {
  interface ContextVariableMap {
    /**
     * Set when an internal request was let in on its signature alone: the route must then check the signature,
     * whatever the group's protocol has become in between.
     */
    signatureRequired: boolean;
  }
}

export interface AuthOptions extends AuthCredentials {
  /** The realm named in the challenges. */
  readonly realm: string;
  /** Whether internal requests are verified by their signature now (distributed, `sessioned`); false otherwise. */
  readonly internalRequestsSigned?: () => boolean;
}

/** The authentication middleware, or undefined when no credentials are configured. */
export function restAuth({
  users,
  tokens,
  realm,
  internalRequestsSigned = () => false,
}: AuthOptions): MiddlewareHandler | undefined {
  if (users.size === 0 && tokens.length === 0) return undefined;
  const quotedRealm = realm.replace(/[\\"]/g, "\\$&");
  const challenges = [
    ...(users.size > 0 ? [`Basic realm="${quotedRealm}"`] : []),
    ...(tokens.length > 0 ? [`Bearer realm="${quotedRealm}"`] : []),
  ].join(", ");
  const unauthorized = () =>
    new HTTPException(401, {
      message: "User cannot access the resource.",
      res: new Response(null, { status: 401, headers: { "WWW-Authenticate": challenges } }),
    });
  const checks = new Map<string, MiddlewareHandler>();
  if (users.size > 0) {
    const verifyUser = async (user: string, password: string) => {
      const expected = users.get(user);
      return expected !== undefined && (await passwordMatches(expected, password));
    };
    checks.set("basic", basicAuth({ realm, verifyUser }));
  }
  if (tokens.length > 0) checks.set("bearer", bearerAuth({ token: [...tokens], realm }));
  return async function restAuth(c, next) {
    const internal = INTERNAL_REQUESTS.some(([method, path]) => c.req.method === method && path.test(c.req.path));
    if (internal && internalRequestsSigned()) {
      c.set("signatureRequired", true);
      return next();
    }
    const scheme = c.req.header("authorization")?.split(" ", 1)[0]?.toLowerCase() ?? "";
    const check = checks.get(scheme);
    if (!check) throw unauthorized();
    try {
      await check(c, next);
    } catch (error) {
      // Only the check itself throws here: errors further down are answered by the error handler before.
      if (error instanceof HTTPException && (error.status === 401 || error.status === 400)) throw unauthorized();
      throw error;
    }
  };
}
