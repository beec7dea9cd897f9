// The way the package and runtime checks record and print each check, shared by
// scripts/check-package.mjs and scripts/check-runtimes.mjs.

/** `1234` -> `1.2 s`. */
export const seconds = (ms) => `${(ms / 1000).toFixed(1)} s`;

/**
 * A list of results and the `check` that fills it. `check(name, fn)` runs `fn`, which returns a
 * short note or throws an Error whose message says what is wrong; it prints `ok` or `FAIL` and
 * resolves with the note ('' for none) when the check passed, `undefined` when it failed.
 */
export function checkRecorder() {
  const results = [];
  async function check(name, fn, { timed = true } = {}) {
    const t0 = performance.now();
    try {
      const note = await fn();
      results.push({ name, ok: true });
      console.log(`  ok    ${name}${note ? ` (${note})` : ''}${timed ? ` [${seconds(performance.now() - t0)}]` : ''}`);
      return note ?? '';
    } catch (error) {
      results.push({ name, ok: false });
      const detail = String(error instanceof Error ? error.message : error)
        .trim()
        .split('\n')
        .map((l) => `          ${l}`)
        .join('\n');
      console.log(`  FAIL  ${name} [${seconds(performance.now() - t0)}]\n${detail}`);
      return undefined;
    }
  }
  return { results, check };
}
