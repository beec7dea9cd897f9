/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/spec'],
  testMatch: ['**/*.spec.ts'],
  transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.json' }] },
  moduleNameMapper: {
    '^async-dag$': '<rootDir>/lib/index.ts',
    '^async-dag/(testing|nest|otel)$': '<rootDir>/lib/$1/index.ts',
  },
};
