// Builds the investigator console into dist/web (served by the API server at /).
// `npm run dev:web` serves it with hot reload and proxies /v1 to a running `refundguard serve`.
import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

const webRoot = fileURLToPath(new URL('.', import.meta.url));
const apiTarget = process.env.REFUNDGUARD_API ?? 'http://127.0.0.1:8080';

export default defineConfig({
  root: webRoot,
  base: '/',
  plugins: [react()],
  build: {
    outDir: fileURLToPath(new URL('../dist/web', import.meta.url)),
    emptyOutDir: true,
    sourcemap: true,
    chunkSizeWarningLimit: 800,
  },
  server: { proxy: { '/v1': apiTarget } },
  logLevel: 'warn',
});
