// Three projects: the library's specs (legacy decorators, as NestJS compiles them), the specs
// that use standard TC39 decorators, and the NestJS example application's own tests.
const moduleNameMapper = {
  '^async-dag$': '<rootDir>/lib/index.ts',
  '^async-dag/(testing|nest|otel|bullmq)$': '<rootDir>/lib/$1/index.ts',
};

/** @type {import('jest').Config} */
module.exports = {
  projects: [
    {
      displayName: 'core',
      testEnvironment: 'node',
      roots: ['<rootDir>/spec'],
      testMatch: ['**/*.spec.ts'],
      testPathIgnorePatterns: ['/node_modules/', '<rootDir>/spec/tc39/'],
      transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.json' }] },
      moduleNameMapper,
    },
    {
      displayName: 'tc39',
      testEnvironment: 'node',
      roots: ['<rootDir>/spec/tc39'],
      testMatch: ['**/*.spec.ts'],
      transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.tc39.json' }] },
      moduleNameMapper,
    },
    {
      displayName: 'nest-app',
      testEnvironment: 'node',
      roots: ['<rootDir>/examples/nest-app'],
      testMatch: ['**/*.spec.ts'],
      transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.json' }] },
      moduleNameMapper,
    },
  ],
};
