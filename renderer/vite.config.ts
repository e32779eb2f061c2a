import { fileURLToPath } from 'node:url';

import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

/**
 * The renderer is one static build used by both faces: Electron loads it from file:// and the browser host
 * serves it over HTTP. Relative asset URLs (base './') make both work; the CSP forbids inline scripts and styles,
 * so nothing may be inlined into index.html.
 */
export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: './',
  plugins: [react()],
  build: {
    outDir: fileURLToPath(new URL('../dist/renderer', import.meta.url)),
    emptyOutDir: true,
    // The polyfill would be an inline script; both Chromium builds we target support modulepreload natively.
    modulePreload: { polyfill: false },
    // Assets stay files rather than data: URLs so that img-src/style-src rules never need relaxing.
    assetsInlineLimit: 0,
    rolldownOptions: {
      output: {
        codeSplitting: {
          // Pages load lazily, so the schemas land in a chunk that runs before main's own first import. zod and the
          // module that turns its eval-based compiler off share one chunk, in that order, so every schema is built
          // with the compiler already off: otherwise its probe shows as a CSP violation in the console.
          groups: [
            { name: 'zod', test: /[\\/]node_modules[\\/]zod[\\/]|[\\/]renderer[\\/]platform[\\/]zodJitless\.ts$/ },
          ],
        },
      },
    },
  },
});
