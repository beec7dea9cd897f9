// Issue 14, proved by generation: fast-check makes graphs whose user code produces hostile values
// (throwing getters, revoked and trapping proxies, null-prototype objects, symbols, `undefined`,
// thenables that resolve twice, throw after resolving, or whose `then` throws) in every place a
// user value enters a run: thrown and returned by nodes (sync and async), plain values given as
// dependencies, class immediates (getters that throw), abort reasons (and signals whose `reason`
// getter throws), observer hooks' throws, rejections and thenables, retry `when` and `delay`
// results and throws (and aborts from inside them), and option getters. For each case:
// `invoke` never throws, settles within a bound with the contract's outcome (a result,
// NodeFailedError whose cause is a value the case produced, DagAbortedError, a TypeError, or what
// an option getter threw), no unhandled rejection or uncaught exception, no other process warning,
// no timer alive after settling, onNodeEnd at most once per node and none after onRunEnd, and
// nothing changes after the run settled.
//
// The cases run in a child process (hostile-fuzz-script.ts): jest would catch unhandled
// rejections itself, and the child must exit by itself (a timer of a run left armed, such as a
// 60 s retry delay, would keep it alive past the timeout).
import { execFile } from 'node:child_process';
import { join } from 'node:path';

const CASES = 5_000;

jest.setTimeout(90_000);

it(`keeps every invariant of issue 14 over ${CASES} generated hostile cases, and lets the process exit`, async () => {
  const seed = Date.now() % 1_000_000;
  const script = join(__dirname, 'hostile-fuzz-script.ts');
  const output = await new Promise<string>((resolve, reject) => {
    execFile(
      process.execPath,
      ['--no-warnings', '--import', 'tsx', script, String(CASES), String(seed)],
      { timeout: 60_000, cwd: join(__dirname, '..', '..') },
      (error, stdout, stderr) => {
        if (error)
          reject(new Error(`seed ${seed}: the child process failed or did not exit: ${error.message}\n${stderr}`));
        else resolve(stdout);
      },
    );
  });
  const report = JSON.parse(output.trim().split('\n').pop()!) as { cases: number; seed: number; failures: string[] };
  expect({ seed: report.seed, failures: report.failures }).toEqual({ seed, failures: [] });
  expect(report.cases).toBe(CASES);
});
