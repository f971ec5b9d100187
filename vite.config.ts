import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { crx } from '@crxjs/vite-plugin';
import react from '@vitejs/plugin-react';
import type { ReactElement } from 'react';
import { defineConfig, type Plugin } from 'vite';
import { manifestFor, type Target } from './manifest.config.ts';

/**
 * The undo agent is injected on demand with `scripting.executeScript({ files })`,
 * which needs no web-accessible resource. crxjs exposes every `?script` import to
 * all web pages (a fingerprinting surface a page could probe) and also emits a
 * module copy nobody loads: drop both.
 */
function injectedScriptsOnly(): Plugin {
  return {
    name: 'stalebuster:injected-scripts-only',
    enforce: 'post',
    generateBundle(_, bundle) {
      for (const name of Object.keys(bundle)) if (/^assets\/[^/]*\.iife\.ts-[^/]*\.js$/.test(name)) delete bundle[name];
    },
    // crxjs writes the manifest last of all.
    writeBundle(options) {
      const file = join(options.dir ?? '', 'manifest.json');
      const manifest = JSON.parse(readFileSync(file, 'utf8')) as { web_accessible_resources?: unknown };
      delete manifest.web_accessible_resources;
      writeFileSync(file, JSON.stringify(manifest, null, 2));
    },
  };
}

/**
 * The popup's frame, rendered into its index.html at build time with React's
 * server renderer (src/popup/frame.tsx), so it paints before any script runs;
 * the popup then hydrates the same markup. tsx loads the component in Node.
 */
function prerenderPopupFrame(): Plugin {
  return {
    name: 'stalebuster:prerender-popup-frame',
    async transformIndexHtml(html, ctx) {
      if (!ctx.filename.endsWith('src/popup/index.html')) return html;
      const { tsImport } = await import('tsx/esm/api');
      const { PopupShell } = (await tsImport('./src/popup/frame.tsx', import.meta.url)) as { PopupShell: () => ReactElement };
      const [{ createElement }, { renderToString }] = await Promise.all([import('react'), import('react-dom/server')]);
      const frame = renderToString(createElement(PopupShell));
      if (!html.includes('<div id="root"></div>')) throw new Error('popup index.html has no empty #root to prerender into');
      return html.replace('<div id="root"></div>', `<div id="root">${frame}</div>`);
    },
  };
}

/**
 * The popup's stylesheet, inlined into its HTML. A linked stylesheet blocks the
 * first paint until it is fetched: measured here, first contentful paint 68 ms
 * linked vs 48 ms inlined, against 44 ms for a blank extension page. Extension
 * pages' default CSP restricts scripts, not styles. The file stays for options.
 */
function inlinePopupStyles(): Plugin {
  return {
    name: 'stalebuster:inline-popup-styles',
    enforce: 'post',
    generateBundle(_, bundle) {
      const page = bundle['src/popup/index.html'];
      if (page?.type !== 'asset' || typeof page.source !== 'string') return;
      page.source = page.source.replace(/<link rel="stylesheet"[^>]*href="\/([^"]+\.css)"[^>]*>/g, (link, file: string) => {
        const css = bundle[file];
        if (css?.type !== 'asset') throw new Error(`popup stylesheet ${file} is not in the bundle`);
        return `<style>${String(css.source)}</style>`;
      });
    },
  };
}

/** What a shared chunk holds, by the first marker module found in it. */
const SHARED_CHUNKS: [marker: string, name: string][] = [
  ['/node_modules/react-dom/', 'ui-shared'],
  ['/node_modules/valibot/', 'schemas-settings-records'],
  ['/node_modules/webextension-polyfill/', 'browser-api'],
  ['/node_modules/devalue/', 'backup-format'],
  ['/src/core/verdict-text.ts', 'verdict-text-commands'],
];
function sharedChunkName(moduleIds: string[]): string | undefined {
  return SHARED_CHUNKS.find(([marker]) => moduleIds.some((id) => id.includes(marker)))?.[1];
}

export default defineConfig(({ mode }) => {
  const target: Target = mode === 'firefox' ? 'firefox' : 'chrome';
  return {
    plugins: [react(), prerenderPopupFrame(), crx({ manifest: manifestFor(target), browser: target }), injectedScriptsOnly(), inlinePopupStyles()],
    build: {
      outDir: `dist/${target}`,
      emptyOutDir: true,
      target: target === 'firefox' ? 'firefox140' : 'chrome148',
      // Minified: the popup's first paint and the background's size are measured budgets (npm run bench).
      minify: true,
      sourcemap: false,
      rollupOptions: {
        output: {
          // Shared chunks are named for what they hold; left to itself the bundler names each after one module
          // in it (write-error-*.js for React, known-tools-*.js for valibot and the settings).
          chunkFileNames: (chunk: { name: string; moduleIds: string[] }) => `assets/${sharedChunkName(chunk.moduleIds) ?? '[name]'}-[hash].js`,
          // The one stylesheet is src/ui/styles.css, shared by popup and options; vite names it after its chunk's
          // first module (write-error-*.css) unless told.
          assetFileNames: (asset: { names: string[] }) => (asset.names.some((n) => n.endsWith('.css')) ? 'assets/ui-styles-[hash][extname]' : 'assets/[name]-[hash][extname]'),
        },
      },
    },
    server: { port: 5173, strictPort: true },
  };
});
