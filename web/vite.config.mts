import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

/**
 * The console is served by the API process itself (dist/web), so every path
 * the server answers stays the server's and the page talks to its own origin.
 * `npm run dev:web` proxies the API to a running `npm start` for work on the console.
 */
export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: '/',
  build: {
    outDir: '../dist/web',
    emptyOutDir: true,
    // Figures for the budgets (bench:web) are read from the manifest.
    manifest: true,
    chunkSizeWarningLimit: 1500,
    rolldownOptions: {
      output: {
        // What the sign-in page draws with, in one chunk: left to itself the bundler cuts these components into
        // as many small chunks as there are combinations of pages sharing them, and every cut costs the
        // sign-in page compression (bench:web's budget). Every page needs them too, so none loads more.
        codeSplitting: {
          groups: [
            {
              name: 'sign-in-kit',
              test: /node_modules[\\/]antd[\\/]es[\\/](typography|form|input|button|card|alert)[\\/]/,
            },
          ],
        },
      },
      onwarn(warning, warn) {
        // antd marks its modules "use client" for React Server Components; a browser bundle has no server side.
        if (warning.code !== 'MODULE_LEVEL_DIRECTIVE') warn(warning);
      },
    },
  },
  server: {
    proxy: Object.fromEntries(
      ['/api', '/media', '/docs', '/health'].map((path) => [path, process.env.DALABA_URL ?? 'http://127.0.0.1:3000']),
    ),
  },
  test: {
    environment: 'jsdom',
    globals: true,
    include: ['src/**/*.test.{ts,tsx}'],
  },
});
