/* global module */
// Type-checking is the build's job (npm run build, eslint): the tests only transpile.
// ts-jest rather than @swc/jest: SWC's per-platform binaries cannot all be recorded in the
// lockfile from this machine's registry, which makes `npm ci` refuse it.
const tsJest = ['ts-jest', { tsconfig: 'tsconfig.json', diagnostics: false }];

const common = {
  moduleFileExtensions: ['ts', 'js', 'json'],
  transform: { '^.+\\.ts$': tsJest },
  testEnvironment: 'node',
};

// Run the embedded project on its own (npm run test:embedded): its global setup points the
// shared test helpers at the child process, which must not leak into the in-process suites.
// Run the resilience project alone and in band (npm run test:resilience): it stops PostgreSQL.
/** @type {import('jest').Config} */
module.exports = {
  // Suites that start processes and databases; no test asserts on time.
  testTimeout: 120000,
  projects: [
    {
      ...common,
      displayName: 'unit',
      rootDir: 'src',
      // The console's pure modules too; they import each other as the browser does, by .js.
      roots: ['<rootDir>', '<rootDir>/../console/src'],
      testMatch: ['**/*.spec.ts'],
      moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
    },
    {
      // The real AppModule in-process, against a fresh database on the real PostgreSQL.
      ...common,
      displayName: 'e2e',
      rootDir: '.',
      testMatch: ['<rootDir>/test/e2e/**/*.e2e-spec.ts'],
      // Every supertest response is checked against openapi.json.
      setupFilesAfterEnv: ['<rootDir>/test/utils/validate-responses.setup.ts'],
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
    {
      // The built service as child processes on fresh databases of the real PostgreSQL and
      // the real RabbitMQ, through outages, crashes and replicas.
      ...common,
      displayName: 'resilience',
      rootDir: '.',
      testMatch: ['<rootDir>/test/resilience/**/*.e2e-spec.ts'],
      globalSetup: '<rootDir>/test/utils/resilience.global-setup.ts',
      globalTeardown: '<rootDir>/test/utils/resilience.global-teardown.ts',
    },
  ],
};
