// The lint step of `npm test` must bite: a rule switched off without its reason fails it, and the
// same switch with a reason passes. Runs the project's own ESLint config in a child process.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

const root = join(__dirname, '..', '..');
const eslint = join(root, 'node_modules', 'eslint', 'bin', 'eslint.js');

/** Lints `source` as if it were the file `as` (relative to the root), with the project's config. */
function lint(source: string, as: string): { status: number | null; output: string } {
  const result = spawnSync(process.execPath, [eslint, '--max-warnings', '0', '--stdin', '--stdin-filename', as], {
    cwd: root,
    input: source,
    encoding: 'utf8',
  });
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}

describe('npm run lint', () => {
  jest.setTimeout(60_000);

  it('fails on an eslint-disable comment that does not say why', () => {
    const { status, output } = lint(
      'export function f(): number {\n  // eslint-disable-next-line prefer-const\n  let x = 1;\n  return x;\n}\n',
      'spec/house/fixture.ts',
    );
    expect(status).toBe(1);
    expect(output).toMatch(/house\/disable-needs-reason/);
  });

  it('passes the same switch when it says why', () => {
    const { status, output } = lint(
      'export function f(): number {\n  // eslint-disable-next-line prefer-const -- the fixture needs a let\n  let x = 1;\n  return x;\n}\n',
      'spec/house/fixture.ts',
    );
    expect(output).toBe('');
    expect(status).toBe(0);
  });

  it('fails on a switch that no longer switches anything off', () => {
    const { status, output } = lint(
      '// eslint-disable-next-line prefer-const -- stale\nexport const x = 1;\n',
      'spec/house/fixture.ts',
    );
    expect(status).toBe(1);
    expect(output).toMatch(/Unused eslint-disable directive/);
  });
});
