import connectorView from "./connector-view.js" with { type: "text" };
import stylesheet from "./dashboard.css" with { type: "text" };
import dashboard from "./dashboard.js" with { type: "text" };
import prometheusText from "./prometheus-text.js" with { type: "text" };
import sparkline from "./sparkline.js" with { type: "text" };

/**
 * The dashboard's script modules and stylesheet, as text: imported, not read from disk, so that they are in the
 * Node.js bundle too and the worker needs nothing beside its code to serve them.
 */
export const DASHBOARD_ASSETS: ReadonlyMap<string, { readonly body: string; readonly type: string }> = new Map([
  ["dashboard.css", { body: stylesheet, type: "text/css; charset=utf-8" }],
  ["dashboard.js", { body: dashboard, type: "text/javascript; charset=utf-8" }],
  ["connector-view.js", { body: connectorView, type: "text/javascript; charset=utf-8" }],
  ["prometheus-text.js", { body: prometheusText, type: "text/javascript; charset=utf-8" }],
  ["sparkline.js", { body: sparkline, type: "text/javascript; charset=utf-8" }],
]);
