/* global module */
/** @type {import('jest').Config} */
const swc = [
  '@swc/jest',
  {
    jsc: {
      parser: { syntax: 'typescript', decorators: true },
      transform: { legacyDecorator: true, decoratorMetadata: true },
      target: 'es2022',
    },
  },
];

const common = {
  moduleFileExtensions: ['ts', 'js', 'json'],
  transform: { '^.+\\.ts$': swc },
  testEnvironment: 'node',
};

// Run the embedded project on its own (npm run test:embedded): its global setup points the
// shared test helpers at the child process, which must not leak into the in-process suites.
module.exports = {
  // Suites that start processes and databases; no test asserts on time.
  testTimeout: 120000,
  projects: [
    { ...common, displayName: 'unit', rootDir: 'src', testMatch: ['**/*.spec.ts'] },
    {
      // The real AppModule in-process, against a fresh database on the real PostgreSQL.
      ...common,
      displayName: 'e2e',
      rootDir: '.',
      testMatch: ['<rootDir>/test/e2e/**/*.e2e-spec.ts'],
      globalSetup: '<rootDir>/test/utils/postgres.global-setup.ts',
      globalTeardown: '<rootDir>/test/utils/postgres.global-teardown.ts',
    },
    {
      // The built service (dist/) as a child process, on its embedded database.
      ...common,
      displayName: 'embedded',
      rootDir: '.',
      testMatch: [
        '<rootDir>/test/process/**/*.e2e-spec.ts',
        '<rootDir>/test/e2e/namespaces.e2e-spec.ts',
      ],
      globalSetup: '<rootDir>/test/utils/embedded.global-setup.ts',
      globalTeardown: '<rootDir>/test/utils/embedded.global-teardown.ts',
    },
  ],
};
