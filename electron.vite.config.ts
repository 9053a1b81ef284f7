import { resolve } from 'node:path';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'electron-vite';

export default defineConfig({
  main: {
    build: {
      outDir: 'out/main',
      rolldownOptions: {
        input: {
          index: resolve(__dirname, 'electron/main/index.ts'),
          // Strategies run in worker threads; the engine starts out/main/strategy-worker.js (see worker-evaluator.ts).
          'strategy-worker': resolve(__dirname, 'electron/engine/strategy/strategy-worker.ts'),
          // Backtests run in worker threads too: out/main/backtest-worker.js (see backtest/worker-job.ts).
          'backtest-worker': resolve(__dirname, 'electron/engine/backtest/backtest-worker.ts'),
          // A paper start without a seed picks one off the main thread: out/main/opening-seed-worker.js (see opening-seed.ts).
          'opening-seed-worker': resolve(__dirname, 'electron/engine/opening-seed-worker.ts'),
        },
        // Shared chunks sit beside the entries, not in chunks/: a module finds its worker's entry in its
        // own folder (workerEntry in strategy/worker-evaluator.ts), whichever bundle file it ends up in.
        output: { chunkFileNames: '[name]-[hash].js' },
      },
    },
  },
  preload: {
    build: {
      outDir: 'out/preload',
      // A sandboxed preload must be one CommonJS file with nothing external but `electron`.
      externalizeDeps: false,
      rolldownOptions: {
        input: { index: resolve(__dirname, 'electron/preload/index.ts') },
        external: ['electron'],
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: {
    root: resolve(__dirname, 'renderer'),
    plugins: [react()],
    build: {
      outDir: resolve(__dirname, 'out/renderer'),
      rolldownOptions: { input: { index: resolve(__dirname, 'renderer/index.html') } },
    },
  },
});
