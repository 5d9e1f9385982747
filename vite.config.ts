import { defineConfig } from 'vite';

export default defineConfig(({ command }) => ({
  root: 'src/web',
  base: '/',
  // React 19's automatic runtime through Vite's built-in transform: no React plugin needed.
  oxc: { jsx: { runtime: 'automatic', development: command !== 'build' } },
  // The build is what `npm start` serves, even when a test runner (NODE_ENV=test) triggers it.
  define: command === 'build' ? { 'process.env.NODE_ENV': JSON.stringify('production') } : {},
  build: { outDir: '../../dist/web', emptyOutDir: true, sourcemap: true },
  server: { proxy: { '/boards': 'http://127.0.0.1:3000', '/healthz': 'http://127.0.0.1:3000' } },
}));
