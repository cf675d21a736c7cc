import { defineConfig } from 'vitest/config';

// The VM tier (npm run test:vm): one QEMU guest per file, the files one after another, each
// guest booted several times; TCG is slow, so the bounds are generous (every wait inside is
// bounded on its own too).
export default defineConfig({
  test: {
    include: ['test/vm/**/*.test.ts'],
    fileParallelism: false,
    testTimeout: 1_500_000,
    hookTimeout: 2_700_000,
    reporters: ['default'],
  },
});
