/** ESM jest on Node 24 via ts-jest (see TOOLCHAIN.md). */
export default {
  preset: 'ts-jest/presets/default-esm',
  testEnvironment: 'node',
  resolver: 'ts-jest-resolver',
  extensionsToTreatAsEsm: ['.ts'],
  testMatch: ['**/__tests__/**/*.test.ts'],
  transform: {
    '^.+\\.ts$': ['ts-jest', { useESM: true, tsconfig: 'tsconfig.json' }]
  },
  // Each test file's temporary directories go when it ends; jest's own cache stays out of the system temp dir.
  setupFilesAfterEnv: ['<rootDir>/__tests__/helpers/cleanup.ts'],
  cacheDirectory: '<rootDir>/node_modules/.cache/jest',
  testTimeout: 60000,
  maxWorkers: 2
}
