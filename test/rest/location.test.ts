/**
 * The Location of a 201 Created, as Kafka's: ConnectorsResource hands JAX-RS `UriBuilder.fromUri("/connectors")
 * .path(name)` and Jersey resolves it against the request's base URI, so the header is absolute and built from the
 * Host the client sent (the listener's address without one), whatever `rest.advertised.*` says. Checked against
 * Apache Kafka Connect 4.1.1: `Host: example.com:1234` gives `http://example.com:1234/connectors/<name>`.
 */
import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import { rawRequest } from "./raw-http.ts";
import { type RestWorker, startRestWorker } from "./rest-worker.ts";

setDefaultTimeout(60_000);

describe("the Location of a created connector", () => {
  let worker: RestWorker;
  let port: string;

  beforeAll(async () => {
    worker = await startRestWorker({ "rest.advertised.host.name": "advertised.example", "rest.advertised.port": "1" });
    port = new URL(worker.base).port;
  });

  afterAll(async () => {
    await worker.stop();
  });

  // Created stopped: nothing runs, the tests only need the connectors to exist.
  const config = { "connector.class": "Datagen", quickstart: "orders", topic: "location-test" };
  const createBody = (name: string) => JSON.stringify({ name, config, initial_state: "STOPPED" });

  /** POST /connectors by hand, with the Host header (or none) and HTTP version given. */
  const createRaw = (name: string, hostLine: string, version = "HTTP/1.1") => {
    const body = Buffer.from(createBody(name));
    return rawRequest(
      worker.base,
      `POST /connectors ${version}\r\n${hostLine}Content-Type: application/json\r\nContent-Length: ${body.length}\r\n` +
        `Connection: close\r\n\r\n${body.toString("latin1")}`,
    );
  };

  test("is absolute, with the scheme, host and port the client used, not the advertised URL", async () => {
    const response = await fetch(`${worker.base}/connectors`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: createBody("loc-a"),
    });
    expect(response.status).toBe(201);
    expect(response.headers.get("location")).toBe(`http://127.0.0.1:${port}/connectors/loc-a`);

    const proxied = await createRaw("loc-b", "Host: connect.example:8083\r\n");
    expect(proxied.status).toBe(201);
    expect(proxied.headers.location).toBe("http://connect.example:8083/connectors/loc-b");
    // The scheme's default port is left out, as Jetty's request URL leaves it out.
    const defaultPort = await createRaw("loc-c", "Host: connect.example:80\r\n");
    expect(defaultPort.headers.location).toBe("http://connect.example/connectors/loc-c");
  });

  test("without a Host header (HTTP/1.0), it names the listener the request came in on", async () => {
    const answer = await createRaw("loc-no-host", "", "HTTP/1.0");
    expect(answer.status).toBe(201);
    expect(answer.headers.location).toBe(`http://127.0.0.1:${port}/connectors/loc-no-host`);
    // The rest of the API answers such a request too.
    const list = await rawRequest(worker.base, "GET /connectors HTTP/1.0\r\n\r\n");
    expect(list.status).toBe(200);
    expect(JSON.parse(list.body)).toContain("loc-no-host");
  });

  test.each([
    ["a space", "orders to file", "orders%20to%20file"],
    ["UTF-8", "café ☕", "caf%C3%A9%20%E2%98%95"],
    ["sub-delims, ':' and '@', which a path keeps", "a$&+,;=:@b", "a$&+,;=:@b"],
    ["'?' and '#'", "q?x#y", "q%3Fx%23y"],
    // Kafka's own Location would lead elsewhere for these three; sluice's leads to the connector.
    ["a '/' (Kafka leaves it, making the URL another path)", "a/b", "a%2Fb"],
    ["a '%' followed by hex (Kafka keeps it: the URL of '50 off')", "50%20off", "50%2520off"],
    ["braces (Kafka takes them for a URI template and answers 500)", "{x}", "%7Bx%7D"],
  ])("encodes a name with %s as one path segment, and leads back to the connector", async (_what, name, segment) => {
    const response = await fetch(`${worker.base}/connectors`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: createBody(name),
    });
    expect(response.status).toBe(201);
    const location = response.headers.get("location") ?? "";
    expect(location).toBe(`${worker.base}/connectors/${segment}`);
    const info = await fetch(location);
    expect(info.status).toBe(200);
    expect(((await info.json()) as { name: string }).name).toBe(name);
  });

  test("PUT /connectors/{c}/config: an absolute Location when it creates the connector, none when it updates it", async () => {
    const put = () =>
      fetch(`${worker.base}/connectors/put%20made/config`, {
        method: "PUT",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(config),
      });
    const created = await put();
    expect(created.status).toBe(201);
    expect(created.headers.get("location")).toBe(`${worker.base}/connectors/put%20made`);
    const updated = await put();
    expect(updated.status).toBe(200);
    expect(updated.headers.get("location")).toBeNull();
  });
});
