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

/** Aedes 1 ships ES modules only (with import attributes); jest's CommonJS runtime needs them transpiled. */
const swcEsm = {
  jsc: { parser: { syntax: 'ecmascript', importAttributes: true }, target: 'es2022', experimental: { keepImportAttributes: false } },
  module: { type: 'commonjs' },
};

module.exports = {
  rootDir: '.',
  testEnvironment: 'node',
  testMatch: ['<rootDir>/{apps,libs,test}/**/*.spec.ts', '<rootDir>/test/**/*.e2e-spec.ts'],
  transform: {
    '^.+\\.ts$': ['@swc/jest', swc],
    '/node_modules/aedes/.+\\.js$': ['@swc/jest', swcEsm],
  },
  transformIgnorePatterns: ['/node_modules/(?!aedes/)'],
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
