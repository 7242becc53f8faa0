import { Scalar } from "@scalar/hono-api-reference";
import { Hono } from "hono";
import { type ScalarScript, scalarScriptLoader } from "../scalar-script.ts";

/** The route of the API reference's script, served by the worker so that `/docs` works without a network. */
export const SCALAR_SCRIPT_PATH = "/docs/scalar.js";

export interface DocsRoutesOptions {
  /** Where the page reads the OpenAPI document. */
  readonly openApiPath?: string;
  readonly pageTitle?: string;
  /** The script's loader (tests give one reading another file). */
  readonly script?: () => Promise<ScalarScript>;
}

/**
 * `GET /docs`: Scalar's API reference page, and `GET /docs/scalar.js`: its script. Nothing on the page comes from
 * elsewhere: the script is the worker's own copy, Scalar's web fonts (fonts.scalar.com) are off (the page falls
 * back to the system's fonts), and so are its telemetry, its AI agent, its MCP generator and its developer tools
 * (share, deploy), which talk to Scalar's hosted services and would hand them the worker's API description.
 */
export function docsRoutes({
  openApiPath = "/openapi.json",
  pageTitle = "sluice REST API",
  script = scalarScriptLoader(),
}: DocsRoutesOptions = {}): Hono {
  return new Hono()
    .get(SCALAR_SCRIPT_PATH, async (c) => {
      const { body } = await script();
      return c.body(body, 200, {
        "Content-Type": "text/javascript; charset=utf-8",
        // The page asks for the script with its digest in the query, so a changed script is a new URL.
        "Cache-Control": "max-age=31536000, immutable",
      });
    })
    .get(
      "/docs",
      Scalar(async () => ({
        url: openApiPath,
        pageTitle,
        cdn: `${SCALAR_SCRIPT_PATH}?v=${(await script()).version}`,
        withDefaultFonts: false,
        telemetry: false,
        agent: { disabled: true },
        mcp: { disabled: true },
        showDeveloperTools: "never",
      })),
    );
}
