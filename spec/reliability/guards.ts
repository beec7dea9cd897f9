import { execFile } from 'node:child_process';

// Guards shared by the reliability specs: what must stay untouched whatever a graph does.

const watched: ReadonlyArray<readonly [string, object]> = [
  ['Object.prototype', Object.prototype],
  ['Function.prototype', Function.prototype],
  ['Array.prototype', Array.prototype],
  ['Promise.prototype', Promise.prototype],
  ['Error.prototype', Error.prototype],
];

function describeProperties(target: object): Map<PropertyKey, string> {
  const out = new Map<PropertyKey, string>();
  for (const key of Reflect.ownKeys(target)) {
    const d = Object.getOwnPropertyDescriptor(target, key)!;
    // Identity of values and accessors, plus the flags: a replaced method or a new key shows.
    out.set(key, [d.writable, d.enumerable, d.configurable].join(','));
  }
  return out;
}

/**
 * Takes a picture of the built-in prototypes (their own keys, values and flags). `changes()`
 * lists every key that was added, removed or replaced since.
 */
export function snapshotPrototypes(): { changes(): string[] } {
  const before = watched.map(([name, target]) => {
    const values = new Map<PropertyKey, unknown>();
    for (const key of Reflect.ownKeys(target)) {
      const d = Object.getOwnPropertyDescriptor(target, key)!;
      values.set(key, 'value' in d ? d.value : [d.get, d.set]);
    }
    return { name, target, flags: describeProperties(target), values, proto: Object.getPrototypeOf(target) as unknown };
  });
  return {
    changes() {
      const found: string[] = [];
      for (const { name, target, flags, values, proto } of before) {
        if (Object.getPrototypeOf(target) !== proto) found.push(`${name}: prototype replaced`);
        const now = describeProperties(target);
        for (const key of new Set([...flags.keys(), ...now.keys()])) {
          const label = `${name}[${String(key)}]`;
          if (!now.has(key)) found.push(`${label} removed`);
          else if (!flags.has(key)) found.push(`${label} added`);
          else if (now.get(key) !== flags.get(key)) found.push(`${label} flags changed`);
          else {
            const d = Object.getOwnPropertyDescriptor(target, key)!;
            const value = 'value' in d ? d.value : [d.get, d.set];
            const old = values.get(key);
            const same =
              Array.isArray(old) && Array.isArray(value)
                ? old[0] === value[0] && old[1] === value[1]
                : Object.is(old, value);
            if (!same) found.push(`${label} replaced`);
          }
        }
      }
      return found;
    },
  };
}

/** What a fresh Node process reported while it ran a script. */
export interface ProcessReport {
  /** Reasons (messages) of the unhandled rejections. */
  readonly unhandled: string[];
  /** Process warnings, as `Name: message`. */
  readonly warnings: string[];
}

/**
 * Runs `body` (plain JavaScript in an async function, with `lib` bound to the library's source)
 * in a fresh Node process, and returns the unhandled rejections and process warnings Node
 * reported there. Jest 30 catches a spec's unhandled rejections itself (and fails the test) and
 * keeps process warnings from it, so a test that must count them uses a process of its own.
 */
export function inFreshProcess(body: string): Promise<ProcessReport> {
  const script = [
    'const report = { unhandled: [], warnings: [] };',
    "process.on('unhandledRejection', (reason) => report.unhandled.push(String(reason && reason.message || reason)));",
    "process.on('warning', (w) => report.warnings.push(w.name + ': ' + w.message));",
    `const lib = require(${JSON.stringify(require.resolve('../../lib/index.ts'))});`,
    `Promise.resolve().then(async () => { ${body} }).then(() => new Promise((r) => setTimeout(r, 20)))`,
    '  .then(() => process.stdout.write(JSON.stringify(report)), (e) => { console.error(e); process.exit(2); });',
  ].join('\n');
  return new Promise((resolve, reject) => {
    execFile(process.execPath, ['--import', 'tsx', '-e', script], { timeout: 30_000 }, (error, stdout, stderr) => {
      if (error) reject(new Error(`the child process failed: ${error.message}\n${stderr}`));
      else resolve(JSON.parse(stdout) as ProcessReport);
    });
  });
}

/** One macrotask turn: every settled promise has run its callbacks, and Node has flagged unhandled ones. */
export const turn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Awaits `promise` and returns what it rejected with; fails the test if it resolved. */
export async function rejectionOf(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected the promise to reject, but it resolved');
}

/** Calls `fn` and returns what it threw; fails the test if it returned. */
export function thrownBy(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  throw new Error('expected the call to throw, but it returned');
}
