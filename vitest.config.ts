import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // The production build of xstate: the development build warns on every event sent to a stopped actor.
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
  },
});
