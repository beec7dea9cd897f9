// The last line of `npm test`: one count over every kind of test it ran (jest's specs, the
// package checks and the runtime checks), in the plain `tests: N passed, M failed` form that CI reads.
import { readFileSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const tmp = join(dirname(fileURLToPath(import.meta.url)), '..', '.tmp');
const read = (file) => JSON.parse(readFileSync(join(tmp, file), 'utf8'));
const jest = read('jest-results.json');
const pkg = read('package-results.json');
const runtimes = read('runtime-results.json');
const passed = jest.numPassedTests + pkg.passed + runtimes.passed;
const failed = jest.numFailedTests + jest.numRuntimeErrorTestSuites + pkg.failed + runtimes.failed;
const skipped = jest.numPendingTests + jest.numTodoTests;
console.log(
  `\njest: ${jest.numPassedTests} passed in ${jest.numTotalTestSuites} suites; package checks: ${pkg.passed} passed; ` +
    `runtime checks: ${runtimes.passed} passed`,
);
console.log(`tests: ${passed} passed, ${failed} failed${skipped > 0 ? `, ${skipped} skipped` : ''}`);
process.exitCode = failed > 0 || skipped > 0 ? 1 : 0;
