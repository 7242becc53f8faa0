/**
 * The Schema Registry client against HTTP servers that answer as a registry does, fails as a registry fails (5xx,
 * a closed port, a refusal with the registry's error body), and checks what a registry checks (credentials).
 */
import { afterEach, describe, expect, test } from "bun:test";
import { ConfigError } from "../../src/api/errors.ts";
import { clientSettings } from "../../src/schema-registry/client-config.ts";
import { RestService } from "../../src/schema-registry/rest-service.ts";
import { SchemaRegistryClient } from "../../src/schema-registry/schema-registry-client.ts";
import { SchemaRegistryError } from "../../src/schema-registry/schema-registry-error.ts";

interface Seen {
  readonly method: string;
  readonly path: string;
  readonly authorization: string | null;
  readonly body: string;
}

const servers: ReturnType<typeof Bun.serve>[] = [];
afterEach(() => {
  for (const server of servers.splice(0)) server.stop(true);
});

/** An HTTP server whose answers come from `answer`; what it was asked is in `seen`. */
function registry(answer: (seen: Seen, count: number) => Response | Promise<Response>) {
  const seen: Seen[] = [];
  const server = Bun.serve({
    port: 0,
    hostname: "127.0.0.1",
    async fetch(request) {
      const url = new URL(request.url);
      const entry = {
        method: request.method,
        path: url.pathname + url.search,
        authorization: request.headers.get("authorization"),
        body: await request.text(),
      };
      seen.push(entry);
      return answer(entry, seen.length);
    },
  });
  servers.push(server);
  return { url: `http://127.0.0.1:${server.port}`, seen };
}

const json = (body: unknown, status = 200) =>
  new Response(JSON.stringify(body), { status, headers: { "content-type": "application/vnd.schemaregistry.v1+json" } });

/** A port nothing listens on. */
function closedPort(): string {
  const server = Bun.serve({ port: 0, hostname: "127.0.0.1", fetch: () => new Response() });
  const url = `http://127.0.0.1:${server.port}`;
  server.stop(true);
  return url;
}

const noWait = async () => {};
const avro = { schemaType: "AVRO", schema: '{"type":"string"}', references: [] } as const;

function client(configs: Record<string, string>) {
  const settings = clientSettings({ "retries.wait.ms": "1", ...configs });
  return new SchemaRegistryClient(settings, new RestService(settings, noWait));
}

describe("the Schema Registry client", () => {
  test("registers once per subject and schema, and reads a schema by id once", async () => {
    const { url, seen } = registry((s) =>
      s.method === "POST" ? json({ id: 7 }) : json({ schema: '{"type":"string"}' }),
    );
    const c = client({ "schema.registry.url": url });
    expect(await Promise.all([c.register("t-value", avro, false), c.register("t-value", avro, false)])).toEqual([7, 7]);
    expect(await c.getId("t-value", avro, false)).toBe(7);
    expect(await c.getSchemaById(7)).toEqual(avro);
    expect(await c.getSchemaById(7)).toEqual(avro);
    expect(seen.map((s) => `${s.method} ${s.path}`)).toEqual(["POST /subjects/t-value/versions", "GET /schemas/ids/7"]);
    // Avro is the default type: Confluent's client leaves schemaType out for it.
    expect(JSON.parse(seen[0]?.body ?? "")).toEqual({ schema: '{"type":"string"}' });
  });

  test("a non-Avro schema names its type; normalize is a query parameter; subjects are escaped", async () => {
    const { url, seen } = registry(() => json({ id: 3, version: 2, subject: "a/b", schema: "syntax" }));
    const c = client({ "schema.registry.url": url });
    const proto = { schemaType: "PROTOBUF", schema: 'syntax = "proto3";', references: [] } as const;
    expect(await c.register("a/b", proto, true)).toBe(3);
    expect(await c.getVersion("a/b", proto)).toBe(2);
    expect(seen.map((s) => `${s.method} ${s.path}`)).toEqual([
      "POST /subjects/a%2Fb/versions?normalize=true",
      "POST /subjects/a%2Fb",
    ]);
    expect(JSON.parse(seen[0]?.body ?? "")).toEqual({ schema: 'syntax = "proto3";', schemaType: "PROTOBUF" });
  });

  test("a refusal carries the registry's message and code, is not retried, and is not cached", async () => {
    const { url, seen } = registry(() =>
      json({ error_code: 409, message: "Schema being registered is incompatible with an earlier schema" }, 409),
    );
    const c = client({ "schema.registry.url": url });
    const error = (await c.register("t-value", avro, false).catch((e: unknown) => e)) as SchemaRegistryError;
    expect(error).toBeInstanceOf(SchemaRegistryError);
    expect(error.retriable).toBe(false);
    expect(error.errorCode).toBe(409);
    expect(error.message).toBe(
      `POST ${url}/subjects/t-value/versions failed: Schema being registered is incompatible with an earlier schema; error code: 409 (HTTP 409)`,
    );
    await c.register("t-value", avro, false).catch(() => {});
    expect(seen).toHaveLength(2);
  });

  test("a 5xx is retried max.retries times at the same URL, then is a retriable error", async () => {
    const { url, seen } = registry(() => json({ error_code: 50001, message: "Error in the backend datastore" }, 500));
    const c = client({ "schema.registry.url": url, "max.retries": "2" });
    const error = (await c.getSchemaById(1).catch((e: unknown) => e)) as SchemaRegistryError;
    expect(error.retriable).toBe(true);
    expect(error.errorCode).toBe(50001);
    expect(seen).toHaveLength(3);
  });

  test("a 503 that recovers within the retries answers", async () => {
    const { url } = registry((_s, count) =>
      count < 3 ? new Response("busy", { status: 503 }) : json({ schema: "1" }),
    );
    expect((await client({ "schema.registry.url": url }).getSchemaById(1)).schema).toBe("1");
  });

  test("an unreachable URL fails over to the next, which then stays current", async () => {
    const { url, seen } = registry(() => json({ schema: '"int"' }));
    const c = client({ "schema.registry.url": `${closedPort()},${url}` });
    expect((await c.getSchemaById(1)).schema).toBe('"int"');
    expect((await c.getSchemaById(2)).schema).toBe('"int"');
    expect(seen).toHaveLength(2);
  });

  test("no URL reachable: a retriable error naming the last one", async () => {
    const down = closedPort();
    const error = (await client({ "schema.registry.url": down })
      .getSchemaById(1)
      .catch((e: unknown) => e)) as SchemaRegistryError;
    expect(error.retriable).toBe(true);
    expect(error.message).toStartWith(`Could not reach the Schema Registry at ${down}/schemas/ids/1`);
  });

  test("a body that is not JSON is an error naming the status", async () => {
    const { url } = registry(() => new Response("<html>", { status: 200 }));
    const error = (await client({ "schema.registry.url": url })
      .getSchemaById(1)
      .catch((e: unknown) => e)) as SchemaRegistryError;
    expect(error.retriable).toBe(false);
    expect(error.message).toContain("answered 200 with a body that is not JSON: <html>");
  });

  test("the latest version is cached for latest.cache.ttl.sec", async () => {
    const { url, seen } = registry((_s, count) => json({ subject: "s", id: count, version: count, schema: '"int"' }));
    let now = 0;
    const settings = clientSettings({ "schema.registry.url": url, "latest.cache.ttl.sec": "10" });
    const c = new SchemaRegistryClient(settings, new RestService(settings, noWait), () => now);
    expect((await c.getLatest("s")).version).toBe(1);
    now = 9_999;
    expect((await c.getLatest("s")).version).toBe(1);
    now = 10_000;
    expect((await c.getLatest("s")).version).toBe(2);
    expect(seen).toHaveLength(2);
  });
});

describe("credentials", () => {
  const ok = () => json({ schema: '"int"' });

  test("basic auth from USER_INFO, from the URL's user info, and none by default", async () => {
    const { url, seen } = registry(ok);
    await client({
      "schema.registry.url": url,
      "basic.auth.credentials.source": "USER_INFO",
      "basic.auth.user.info": "ann:s3cret",
    }).getSchemaById(1);
    await client({ "schema.registry.url": url.replace("http://", "http://bob:pw%40x@") }).getSchemaById(1);
    await client({ "schema.registry.url": url }).getSchemaById(1);
    expect(seen.map((s) => s.authorization)).toEqual([
      `Basic ${btoa("ann:s3cret")}`,
      `Basic ${btoa("bob:pw@x")}`,
      null,
    ]);
  });

  test("a static bearer token, with the logical cluster and identity pool headers", async () => {
    const headers: Record<string, string | null>[] = [];
    const server = Bun.serve({
      port: 0,
      hostname: "127.0.0.1",
      fetch(request) {
        headers.push({
          authorization: request.headers.get("authorization"),
          cluster: request.headers.get("target-sr-cluster"),
          pool: request.headers.get("confluent-identity-pool-id"),
          custom: request.headers.get("x-team"),
        });
        return ok();
      },
    });
    servers.push(server);
    await client({
      "schema.registry.url": `http://127.0.0.1:${server.port}`,
      "bearer.auth.credentials.source": "STATIC_TOKEN",
      "bearer.auth.token": "tok",
      "bearer.auth.logical.cluster": "lsrc-1",
      "bearer.auth.identity.pool.id": "pool-2",
      "request.header.x-team": "data",
    }).getSchemaById(1);
    expect(headers).toEqual([{ authorization: "Bearer tok", cluster: "lsrc-1", pool: "pool-2", custom: "data" }]);
  });

  test("OAUTHBEARER fetches a client-credentials token from the issuer once and reuses it", async () => {
    const issuer = registry((s) => {
      expect(s.authorization).toBe(`Basic ${btoa("id:secret")}`);
      expect(s.body).toBe("grant_type=client_credentials&scope=registry");
      return json({ access_token: "fresh", expires_in: 3600 });
    });
    const { url, seen } = registry(ok);
    const c = client({
      "schema.registry.url": url,
      "bearer.auth.credentials.source": "OAUTHBEARER",
      "bearer.auth.issuer.endpoint.url": `${issuer.url}/token`,
      "bearer.auth.client.id": "id",
      "bearer.auth.client.secret": "secret",
      "bearer.auth.scope": "registry",
    });
    await c.getSchemaById(1);
    await c.getSchemaById(2);
    expect(issuer.seen).toHaveLength(1);
    expect(seen.map((s) => s.authorization)).toEqual(["Bearer fresh", "Bearer fresh"]);
  });

  test("configuration mistakes name their key", () => {
    const wrong = (configs: Record<string, string>): ConfigError => {
      try {
        clientSettings(configs);
      } catch (error) {
        expect(error).toBeInstanceOf(ConfigError);
        return error as ConfigError;
      }
      throw new Error("expected a ConfigError");
    };
    expect(wrong({}).key).toBe("schema.registry.url");
    expect(wrong({ "schema.registry.url": "" }).key).toBe("schema.registry.url");
    expect(wrong({ "schema.registry.url": "ftp://x" }).message).toContain("only http and https URLs");
    expect(wrong({ "schema.registry.url": "not a url" }).message).toContain("not a URL");
    const url = { "schema.registry.url": "http://r:8081" };
    expect(wrong({ ...url, "basic.auth.credentials.source": "USER_INFO" }).key).toBe("basic.auth.user.info");
    expect(wrong({ ...url, "basic.auth.credentials.source": "URL" }).key).toBe("basic.auth.credentials.source");
    expect(wrong({ ...url, "basic.auth.credentials.source": "SASL_INHERIT" }).message).toContain("not supported");
    expect(wrong({ ...url, "bearer.auth.credentials.source": "STATIC_TOKEN" }).key).toBe("bearer.auth.token");
    expect(wrong({ ...url, "bearer.auth.credentials.source": "OAUTHBEARER" }).key).toBe(
      "bearer.auth.issuer.endpoint.url",
    );
    expect(
      wrong({ ...url, "basic.auth.credentials.source": "USER_INFO", "bearer.auth.credentials.source": "STATIC_TOKEN" })
        .key,
    ).toBe("bearer.auth.credentials.source");
    expect(wrong({ ...url, "bearer.auth.credentials.source": "KERBEROS" }).key).toBe("bearer.auth.credentials.source");
  });
});
