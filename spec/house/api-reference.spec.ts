// `npm run lint:api` must bite: with the validation settings of typedoc.json, an export without
// JSDoc fails TypeDoc, and the entry points of the package pass.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const root = join(__dirname, '..', '..');
const typedoc = join(root, 'node_modules', 'typedoc', 'bin', 'typedoc');
const fixtures = join(__dirname, 'fixtures');

interface TypedocOptions {
  entryPoints: string[];
  validation: Record<string, boolean>;
  treatWarningsAsErrors: boolean;
}

const project = JSON.parse(readFileSync(join(root, 'typedoc.json'), 'utf8')) as TypedocOptions;

describe('npm run lint:api', () => {
  jest.setTimeout(120_000);

  it('requires every export to be documented, warnings being errors', () => {
    expect(project.validation.notDocumented).toBe(true);
    expect(project.treatWarningsAsErrors).toBe(true);
  });

  it('covers every entry point of the package', () => {
    const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { exports: Record<string, unknown> };
    const entries = Object.keys(pkg.exports)
      .filter((key) => key !== './package.json')
      .map((key) => (key === '.' ? 'lib/index.ts' : `lib/${key.slice(2)}/index.ts`));
    expect([...project.entryPoints].sort()).toEqual(entries.sort());
  });

  it('fails on an export without JSDoc', () => {
    // The project's validation settings, over a fixture with one undocumented export.
    const dir = mkdtempSync(join(tmpdir(), 'async-dag-typedoc-'));
    try {
      const options = join(dir, 'typedoc.json');
      writeFileSync(
        options,
        JSON.stringify({
          entryPoints: [join(fixtures, 'undocumented-export.ts')],
          tsconfig: join(fixtures, 'tsconfig.json'),
          validation: project.validation,
          treatWarningsAsErrors: project.treatWarningsAsErrors,
          disableSources: true,
          emit: 'none',
        }),
      );
      const result = spawnSync(process.execPath, [typedoc, '--options', options], {
        cwd: fixtures,
        encoding: 'utf8',
        env: { ...process.env, NO_COLOR: '1' },
      });
      const output = `${result.stdout}${result.stderr}`;
      expect(output).toMatch(/undocumented.*does not have any documentation/);
      expect(output).not.toMatch(/\bdocumented \(Function\).*does not have any documentation/);
      expect(result.status).not.toBe(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
