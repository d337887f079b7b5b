/**
 * Vite builds the admin console into admin-ui/dist, served by nginx under /admin/ (nginx.conf.template).
 * JSX goes through Vite's built-in oxc transform (no @vitejs/plugin-react: its optional peer pulls a babel
 * release candidate, and Fast Refresh is all it would add). Run by scripts/build-admin-ui.mjs.
 */
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const root = fileURLToPath(new URL('.', import.meta.url));

export default defineConfig({
  root,
  base: '/admin/',
  oxc: { jsx: { runtime: 'automatic', importSource: 'react' } },
  build: {
    outDir: 'dist',
    // Old hashed files stay (scripts/build-admin-ui.mjs prunes them after a day): a page loaded before a new
    // build can still fetch the chunks it knows about.
    emptyOutDir: false,
    target: 'es2022',
    // The strict Content-Security-Policy allows no inline script or style: keep every asset a file.
    assetsInlineLimit: 0,
    modulePreload: { polyfill: false },
    sourcemap: false,
    reportCompressedSize: false,
  },
  server: {
    // `npx vite admin-ui` during development: the API through the local gateway.
    proxy: { '/api': 'http://127.0.0.1:8080' },
  },
});
