/** Escapes text for HTML content and double-quoted attributes. */
function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/**
 * The dashboard's page: a frame the script (dashboard.js) fills in, and this worker's id, which tells the script
 * whose metrics `/metrics` holds. Every resource it loads is the worker's own.
 */
export function dashboardPage(workerId: string): string {
  const id = escapeHtml(workerId);
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>sluice · ${id}</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="/ui/dashboard.css">
</head>
<body data-worker-id="${id}">
<header class="page">
<h1>sluice</h1>
<span class="muted">worker ${id}</span>
<span id="updated"></span>
</header>
<main>
<p id="status" role="status" aria-live="polite"></p>
<section aria-labelledby="workers-title">
<h2 id="workers-title">Workers</h2>
<ul id="workers"></ul>
</section>
<section aria-labelledby="connectors-title">
<h2 id="connectors-title">Connectors</h2>
<div id="connectors"><p class="empty">Loading…</p></div>
</section>
</main>
<script type="module" src="/ui/dashboard.js"></script>
</body>
</html>
`;
}
