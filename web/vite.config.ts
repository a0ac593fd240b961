import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// The UI imports the pure core (twin, guides, catalog) straight from ../src/core.
export default defineConfig({
  root: import.meta.dirname,
  base: '/',
  plugins: [react()],
  build: { outDir: 'dist', emptyOutDir: true, target: 'es2022', chunkSizeWarningLimit: 800 },
  server: { proxy: { '/api': 'http://127.0.0.1:8080', '/healthz': 'http://127.0.0.1:8080' } },
});
