import { main as autoAfter } from '../../examples/migrate-async-auto';
import { main as autoBefore } from '../../examples/migrate-async-auto-before';
import { main as pGraphAfter } from '../../examples/migrate-p-graph';
import { main as pGraphBefore } from '../../examples/migrate-p-graph-before';

function recorder(): { lines: string[]; log: (line: string) => void } {
  const lines: string[] = [];
  return { lines, log: (line) => lines.push(line) };
}

describe('migrating from p-graph', () => {
  it('publishes the same artefact with async-dag as with p-graph', async () => {
    const before = recorder();
    const after = recorder();
    const expected = 'bundle.es2022.js (42 tests passed)';
    await expect(pGraphBefore(before.log)).resolves.toBe(expected);
    await expect(pGraphAfter(after.log)).resolves.toBe(expected);
    expect(after.lines).toEqual(before.lines);
    expect(after.lines).toEqual([`published ${expected}`]);
  });
});

describe('migrating from async.auto', () => {
  it('mails the same link with async-dag as with async.auto', async () => {
    const before = recorder();
    const after = recorder();
    const expected = 'mailed /exports/7/data.csv (2 rows) to user 7';
    await expect(autoBefore(before.log)).resolves.toBe(expected);
    await expect(autoAfter(after.log)).resolves.toBe(expected);
    expect(after.lines).toEqual([expected]);
    expect(before.lines).toEqual([expected]);
  });
});
