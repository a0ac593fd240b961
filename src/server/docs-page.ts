/** A readable page of the API from the OpenAPI document itself, with no assets from elsewhere. */
export function docsPage(doc: Record<string, unknown>): string {
  const esc = (s: string) =>
    s.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);
  const paths = doc.paths as Record<string, Record<string, Record<string, unknown>>>;
  const info = doc.info as { title: string; version: string; description: string };
  const rows: string[] = [];
  for (const [path, ops] of Object.entries(paths)) {
    for (const [method, op] of Object.entries(ops)) {
      const body = (op.requestBody as { content: Record<string, { schema: unknown }> } | undefined)?.content[
        'application/json'
      ]?.schema;
      const params = (op.parameters as Array<{ name: string; in: string; required: boolean }>) ?? [];
      rows.push(`<section>
  <h3><span class="m ${method}">${method.toUpperCase()}</span> <code>${esc(path)}</code></h3>
  <p>${esc(String(op.summary))} <small>role: ${esc(String(op['x-role']))}</small></p>
  ${params.length ? `<p>Parameters: ${params.map((p) => `<code>${esc(p.name)}</code> (${p.in}${p.required ? ', required' : ''})`).join(', ')}</p>` : ''}
  ${body ? `<details><summary>Request body</summary><pre>${esc(JSON.stringify(body, null, 2))}</pre></details>` : ''}
</section>`);
    }
  }
  return `<!doctype html><html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(info.title)} ${esc(info.version)}</title>
<style>body{font:15px/1.5 system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;color:#1d2430}
section{border-top:1px solid #dde3ea;padding:.5rem 0}h3{margin:.3rem 0;font-size:1rem}
.m{display:inline-block;min-width:4.5rem;font-weight:700}.get{color:#0b6e4f}.post{color:#1f5fbf}.delete{color:#b3261e}
pre{background:#f4f6f8;padding:.6rem;overflow:auto}small{color:#5b6675}</style></head><body>
<h1>${esc(info.title)} <small>${esc(info.version)}</small></h1>
<p>${esc(info.description)}</p>
<p>Machine-readable: <a href="/api/v1/openapi.json">/api/v1/openapi.json</a> (OpenAPI 3.1). Errors are
<code>{ "error": { "code", "message" } }</code> with the codes of docs/errors.md.</p>
${rows.join('\n')}
</body></html>`;
}
