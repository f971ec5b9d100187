import { crx } from '@crxjs/vite-plugin';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';
import { manifestFor, type Target } from './manifest.config.ts';

export default defineConfig(({ mode }) => {
  const target: Target = mode === 'firefox' ? 'firefox' : 'chrome';
  return {
    plugins: [react(), crx({ manifest: manifestFor(target), browser: target })],
    build: {
      outDir: `dist/${target}`,
      emptyOutDir: true,
      target: target === 'firefox' ? 'firefox140' : 'chrome121',
      // Readable stack traces in bug reports outweigh a few KB.
      minify: true,
      sourcemap: false,
    },
    server: { port: 5173, strictPort: true },
  };
});
