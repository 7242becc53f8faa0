import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { Hono } from "hono";
import type { RunningStandaloneWorker } from "../../src/commands/worker/start-standalone-worker.ts";
import { errorHandler } from "../../src/rest/error-handler.ts";
import { docsRoutes, SCALAR_SCRIPT_PATH } from "../../src/rest/routes/docs.ts";
import { scalarScriptLoader } from "../../src/rest/scalar-script.ts";
import { freePort, tempDir } from "../worker-harness.ts";
import { startRestWorker } from "./server-worker.ts";

setDefaultTimeout(60_000);

/** Every address the page asks a browser to load: scripts, stylesheets, fonts, images, imports. */
function loadedAddresses(html: string): string[] {
  const patterns = [/\bsrc\s*=\s*["']([^"']*)["']/g, /\bhref\s*=\s*["']([^"']*)["']/g, /url\(\s*["']?([^"')]*)/g];
  patterns.push(/@import\s+["']([^"']*)["']/g, /\bimport\s*(?:[\w{}\s,*]+from\s*)?["']([^"']*)["']/g);
  return patterns.flatMap((pattern) => [...html.matchAll(pattern)].map((match) => match[1] ?? ""));
}

describe("/docs works without a network", () => {
  let worker: RunningStandaloneWorker;
  beforeAll(async () => {
    worker = await startRestWorker({ listeners: `http://127.0.0.1:${freePort()}` });
  });
  afterAll(() => worker.stop());

  test("the page loads nothing from another origin: its script is the worker's, and web fonts are off", async () => {
    const response = await fetch(`${worker.url}/docs`);
    expect(response.status).toBe(200);
    const html = await response.text();
    const addresses = loadedAddresses(html);
    expect(addresses).toEqual([expect.stringMatching(/^\/docs\/scalar\.js\?v=[0-9a-f]{16}$/)]);
    expect(html).not.toMatch(/https?:\/\//);
    // Scalar's default fonts come from fonts.scalar.com; the script only adds them when this is not false.
    expect(html).toContain('"withDefaultFonts": false');
    expect(html).toContain('"url": "/openapi.json"');
  });

  test("the script is served as JavaScript, to be cached for good under the URL the page names", async () => {
    const html = await (await fetch(`${worker.url}/docs`)).text();
    const [src] = loadedAddresses(html);
    const response = await fetch(`${worker.url}${src}`);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("text/javascript; charset=utf-8");
    expect(response.headers.get("cache-control")).toBe("max-age=31536000, immutable");
    const script = await response.text();
    expect(script.length).toBeGreaterThan(1_000_000);
    // The page calls Scalar.createApiReference, which this (UMD) bundle defines.
    expect(script).toContain("createApiReference");
    // Without the query too.
    expect((await fetch(`${worker.url}${SCALAR_SCRIPT_PATH}`)).status).toBe(200);
  });

  test("the OpenAPI document lists neither the page nor its script", async () => {
    const spec = (await (await fetch(`${worker.url}/openapi.json`)).json()) as { paths: Record<string, unknown> };
    expect(Object.keys(spec.paths)).not.toContain(SCALAR_SCRIPT_PATH);
    expect(Object.keys(spec.paths)).not.toContain("/docs");
    expect(Object.keys(spec.paths)).toContain("/connectors");
  });
});

describe("the API reference's script", () => {
  const app = (script: ReturnType<typeof scalarScriptLoader>) => {
    const routes = new Hono().route("/", docsRoutes({ script }));
    routes.onError(errorHandler);
    return routes;
  };

  test("when it cannot be read, the page and the script are 500s naming the file, until it can be", async () => {
    const file = join(tempDir(), "standalone.js");
    const docs = app(scalarScriptLoader(file));
    for (const path of ["/docs", SCALAR_SCRIPT_PATH]) {
      const response = await docs.request(path);
      expect(response.status).toBe(500);
      const body = (await response.json()) as { error_code: number; message: string };
      expect(body.error_code).toBe(500);
      expect(body.message).toContain(`the API reference's script cannot be read from ${file}`);
      expect(body.message).toContain("run `bun install`");
    }
    writeFileSync(file, "window.Scalar = {}");
    const response = await docs.request(SCALAR_SCRIPT_PATH);
    expect(response.status).toBe(200);
    expect(await response.text()).toBe("window.Scalar = {}");
  });

  test("is read once: the page's version and the body stay those of the first read", async () => {
    const file = join(tempDir(), "standalone.js");
    writeFileSync(file, "first");
    const docs = app(scalarScriptLoader(file));
    const before = await (await docs.request("/docs")).text();
    writeFileSync(file, "second");
    expect(await (await docs.request(SCALAR_SCRIPT_PATH)).text()).toBe("first");
    expect(await (await docs.request("/docs")).text()).toBe(before);
  });
});
