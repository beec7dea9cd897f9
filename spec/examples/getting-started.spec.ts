import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { main } from '../../examples/getting-started';
import { Api } from '../../examples/getting-started-services';

const root = join(__dirname, '..', '..');

describe('examples/getting-started', () => {
  it('renders the page, starting friends the moment user resolves, before posts is done', async () => {
    const lines: string[] = [];
    const api = new Api();
    await expect(main((line) => lines.push(line), api)).resolves.toBe('Hello Ada! Friends: Charles, Mary. Posts: 1.');
    expect(api.calls).toEqual(['user(1)', 'posts(1)', 'user(1) done', 'names(2,3)', 'posts(1) done']);
    expect(lines[0]).toBe('Hello Ada! Friends: Charles, Mary. Posts: 1.');
    const rows = lines[1]!.split('\n').slice(0, 5);
    expect(rows.map((row) => row.split(' ')[0])).toEqual(['greeting', 'user', 'posts', 'friends', 'render']);
    expect(lines[1]!.trimEnd().split('\n')).toHaveLength(5); // one row per node
  });

  it('runs unchanged under standard TC39 decorators (tsconfig.tc39.json)', async () => {
    const tsx = join(root, 'node_modules', '.bin', 'tsx');
    const { stdout } = await promisify(execFile)(
      tsx,
      ['--tsconfig', 'tsconfig.tc39.json', 'examples/getting-started.ts'],
      {
        cwd: root,
        timeout: 60_000,
      },
    );
    expect(stdout.split('\n')[0]).toBe('Hello Ada! Friends: Charles, Mary. Posts: 1.');
    expect(stdout).toMatch(/^friends +\|/m);
  }, 60_000);
});
