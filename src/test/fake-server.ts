/**
 * A stateful fake of a local app server for the background's own fetches:
 * the tests upgrade it, take it down, make it redirect or answer garbage, and
 * count what it was asked.
 */
export class FakeServer {
  version = 1;
  down = false;
  garbage = false;
  /** Answer every page with a redirect to this path (a login page). */
  redirectTo: string | null = null;
  hits: string[] = [];

  /** The served HTML; by default shaped like ComfyUI's front end. */
  constructor(readonly shape: (version: number) => string = FakeServer.comfy) {}

  static comfy(version: number): string {
    return `<!doctype html><html><head><title>ComfyUI</title>
<script type="module" src="/assets/index-7f3e9a0${version}.js"></script>
<link rel="stylesheet" href="/assets/index-c2d4e6f${version}.css"></head><body></body></html>`;
  }

  static plain(version: number): string {
    return `<!doctype html><html><head><title>My dev server</title><script type="module" src="/src/main.js?t=${version}"></script></head><body></body></html>`;
  }

  /** The asset URLs a page of this version loads (what the content script reports). */
  static assetsOf(origin: string, html: string): string[] {
    return [...html.matchAll(/(?:src|href)="([^"]+\.(?:js|css))"/g)].map((m) => new URL(m[1]!, `${origin}/`).href);
  }

  readonly fetch = async (input: string | URL | Request): Promise<Response> => {
    const url = new URL(typeof input === 'string' || input instanceof URL ? input : input.url);
    this.hits.push(url.pathname);
    if (this.down) throw new TypeError('Failed to fetch');
    if (this.garbage) return new Response('{"detail":"Not Found"}', { status: 200, headers: { 'content-type': 'application/json' } });
    if (url.pathname === '/system_stats') return Response.json({ system: { comfyui_version: `0.3.${this.version}` } });
    if (url.pathname.startsWith('/api') || url.pathname.startsWith('/assets')) return new Response('not found', { status: 404 });
    if (this.redirectTo && url.pathname !== this.redirectTo) {
      const res = new Response(this.shape(this.version), { headers: { 'content-type': 'text/html' } });
      Object.defineProperties(res, { redirected: { value: true }, url: { value: new URL(this.redirectTo, url).href } });
      return res;
    }
    const res = new Response(this.shape(this.version), { headers: { 'content-type': 'text/html' } });
    Object.defineProperty(res, 'url', { value: url.href });
    return res;
  };
}
