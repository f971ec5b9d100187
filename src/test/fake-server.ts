/**
 * A stateful fake of a local app server for the background's own fetches:
 * the tests upgrade it, take it down, or make it answer garbage.
 */
export class FakeServer {
  version = 1;
  down = false;
  garbage = false;
  hits: string[] = [];

  html(): string {
    return `<!doctype html><html><head><title>ComfyUI</title>
<script type="module" src="/assets/index-v${this.version}.js"></script>
<link rel="stylesheet" href="/assets/index-v${this.version}.css"></head><body></body></html>`;
  }

  readonly fetch = async (input: string | URL | Request): Promise<Response> => {
    const url = new URL(typeof input === 'string' || input instanceof URL ? input : input.url);
    this.hits.push(url.pathname);
    if (this.down) throw new TypeError('Failed to fetch');
    if (this.garbage) return new Response('{"detail":"Not Found"}', { status: 200, headers: { 'content-type': 'application/json' } });
    if (url.pathname === '/') return new Response(this.html(), { headers: { 'content-type': 'text/html' } });
    if (url.pathname === '/system_stats') return Response.json({ system: { comfyui_version: `0.3.${this.version}` } });
    return new Response('not found', { status: 404 });
  };
}
