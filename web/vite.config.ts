/**
 * The web console's build: `npm run build:web` → web/dist, served by the Kesu server at `/`.
 * `npm run dev:web` serves the console with hot reload and passes `/api` to a Kesu server on
 * KESU_DEV_API (default http://127.0.0.1:3100).
 *
 * Chunks (issue 14): each page is its own chunk (src/app/pages.tsx), and Rollup places every
 * library module with the chunks that use it — so the first load carries the shell, antd's parts
 * the shell uses and the opened page; ECharts travels only with the dashboard and 报表. After the
 * bundle is written, `.br`/`.gz` copies of each asset are made once (scripts/precompress.ts) for
 * the server to send as they are.
 */
import { defineConfig, type Plugin } from 'vite';
import react from '@vitejs/plugin-react';
import { fileURLToPath } from 'node:url';
import { join, resolve } from 'node:path';
import { precompressDir } from '../scripts/precompress';

const root = fileURLToPath(new URL('.', import.meta.url));

function precompress(): Plugin {
  let outDir = '';
  return {
    name: 'kesu-precompress',
    apply: 'build',
    configResolved(c) {
      outDir = resolve(c.root, c.build.outDir);
    },
    async closeBundle() {
      await precompressDir(join(outDir, 'assets'));
    },
  };
}

export default defineConfig({
  root,
  plugins: [react(), precompress()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    // Which chunk each page needs: test/browser/bundle-budget.test.ts weighs each page's first load from it.
    manifest: true,
    // The largest chunk is the entry (~950 kB raw, 262 kB brotli: React, antd's shared core, the
    // shell); a chunk above this is a split that went wrong.
    chunkSizeWarningLimit: 1000,
  },
  server: {
    port: 5173,
    proxy: { '/api': { target: process.env.KESU_DEV_API ?? 'http://127.0.0.1:3100', changeOrigin: false } },
  },
});
