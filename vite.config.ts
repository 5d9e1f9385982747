import { defineConfig } from 'vite';

export default defineConfig({
  root: 'src/web',
  base: '/',
  // React 19's automatic runtime through Vite's built-in transform: no React plugin needed.
  oxc: { jsx: { runtime: 'automatic' } },
  build: { outDir: '../../dist/web', emptyOutDir: true, sourcemap: true },
  server: { proxy: { '/boards': 'http://127.0.0.1:3000', '/healthz': 'http://127.0.0.1:3000' } },
});
