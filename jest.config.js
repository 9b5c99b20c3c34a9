/** One jest config; TEST_DB (sqlite | postgresql) picks the database the integration tests use. */
const swc = {
  jsc: {
    parser: { syntax: 'typescript', decorators: true },
    transform: { legacyDecorator: true, decoratorMetadata: true },
    target: 'es2022',
    keepClassNames: true,
  },
  module: { type: 'commonjs' },
  sourceMaps: 'inline',
};

module.exports = {
  rootDir: '.',
  testEnvironment: 'node',
  testMatch: ['<rootDir>/{apps,libs,test}/**/*.spec.ts', '<rootDir>/test/**/*.e2e-spec.ts'],
  transform: { '^.+\\.ts$': ['@swc/jest', swc] },
  moduleNameMapper: {
    '^@sc/config$': '<rootDir>/libs/config/src',
    '^@sc/config/(.*)$': '<rootDir>/libs/config/src/$1',
    '^@sc/database$': '<rootDir>/libs/database/src',
    '^@sc/database/(.*)$': '<rootDir>/libs/database/src/$1',
    '^@sc/messaging$': '<rootDir>/libs/messaging/src',
    '^@sc/messaging/(.*)$': '<rootDir>/libs/messaging/src/$1',
    '^@sc/core/(.*)$': '<rootDir>/libs/core/src/$1',
    '^@sc/platform$': '<rootDir>/libs/platform/src',
    '^@sc/testing$': '<rootDir>/libs/testing/src',
    '^@sc/testing/(.*)$': '<rootDir>/libs/testing/src/$1',
  },
  testTimeout: 60000,
};
