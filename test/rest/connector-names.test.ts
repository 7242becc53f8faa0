/**
 * Issue 11, finding 4: names that broke the API. `{"name":"\ud800"}` answered 500 yet the connector was created and
 * could be neither read nor deleted; `.` and `..` were created and then unreachable (404/405); a 100,000-character
 * name was created and every URL for it got 431. A name no URL can carry is now refused at creation, with a 400 that
 * says why, and nothing is stored; names a URL can carry keep working end to end.
 */
import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import { type RestWorker, startRestWorker } from "./rest-worker.ts";

setDefaultTimeout(60_000);

describe("connector names", () => {
  let worker: RestWorker;

  beforeAll(async () => {
    worker = await startRestWorker();
  });

  afterAll(async () => {
    await worker.stop();
  });

  const config = { "connector.class": "Datagen", quickstart: "orders", topic: "connector-names" };

  /** A raw body: JSON.stringify would write a lone surrogate as an escape anyway, as a client does. */
  const create = async (name: string) => {
    const response = await fetch(`${worker.base}/connectors`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ name, config }),
    });
    return { status: response.status, body: (await response.json()) as { message?: string } };
  };

  test.each([
    ["a lone surrogate", "\ud800", "unpaired surrogate"],
    ["a name ending in a lone surrogate", "orders-\udfff", "unpaired surrogate"],
    [".", ".", "path segment"],
    ["..", "..", "path segment"],
    ["100,000 characters", "x".repeat(100_000), "too long for a URL"],
    ["a name that is long once URL-encoded", "é".repeat(1000), "too long for a URL"],
  ])("%s is refused with a 400 that says why, and nothing is stored", async (_title, name, why) => {
    const created = await create(name);
    expect(created.status).toBe(400);
    expect(created.body.message).toContain("Invalid value");
    expect(created.body.message).toContain(why);
    expect((await worker.call("GET", "/connectors")).body).toEqual([]);
  });

  test("validation reports it on the name key", async () => {
    const validated = await worker.call("PUT", "/connector-plugins/Datagen/config/validate", { ...config, name: ".." });
    const body = validated.body as { configs: { value: { name: string; errors: string[] } }[] };
    expect(body.configs.find((c) => c.value.name === "name")?.value.errors[0]).toContain("path segment");
  });

  test("names a URL can carry work end to end: spaces, accents, emoji, dots, and the longest allowed", async () => {
    for (const name of ["orders to file", "café ☕ 😀", "a.b..c", ".hidden", "y".repeat(2048)]) {
      const created = await create(name);
      expect(created.status).toBe(201);
      const path = `/connectors/${encodeURIComponent(name)}`;
      expect((await worker.call("GET", path)).status).toBe(200);
      expect((await worker.call("GET", `${path}/status`)).status).toBe(200);
      expect((await worker.call("DELETE", path)).status).toBe(204);
    }
    expect((await worker.call("GET", "/connectors")).body).toEqual([]);
  });
});
