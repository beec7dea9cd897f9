// Compile-time checks of the class DSL, in both decorator modes. Each fixture under
// spec/type-fixtures/both/ is compiled in each mode, and those under spec/type-fixtures/<mode>/
// (what only that mode has, such as TC39 `accessor` fields) in that mode alone. Compiled with the TypeScript compiler API (one Program per
// mode): a `pass-*` fixture must have no error; in a `fail-*` fixture, each line marked
// `// @expect-error <text>` must be followed by a line with an error whose message contains
// <text>, and no unmarked line may have an error.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as ts from 'typescript';

const root = join(__dirname, '..');
const modes = {
  legacy: 'tsconfig.json',
  tc39: 'tsconfig.tc39.json',
} as const;
type Mode = keyof typeof modes;

interface Expectation {
  readonly line: number;
  readonly text: string;
}

interface Found {
  readonly line: number;
  readonly message: string;
}

/** The fixtures of both modes (`type-fixtures/both/`), then those of this mode alone (`type-fixtures/<mode>/`, if any). */
function fixturesOf(mode: Mode): string[] {
  return ['both', mode].flatMap((folder) => {
    const dir = join(__dirname, 'type-fixtures', folder);
    if (!existsSync(dir)) return [];
    return readdirSync(dir)
      .filter((file) => file.endsWith('.ts'))
      .sort()
      .map((file) => join(dir, file));
  });
}

function optionsOf(mode: Mode): ts.CompilerOptions {
  const configPath = join(root, modes[mode]);
  const { config, error } = ts.readConfigFile(configPath, (path) => ts.sys.readFile(path));
  if (error !== undefined) throw new Error(ts.flattenDiagnosticMessageText(error.messageText, '\n'));
  const parsed = ts.parseJsonConfigFileContent(config, ts.sys, root, undefined, configPath);
  return { ...parsed.options, noEmit: true, incremental: false, sourceMap: false, declaration: false, types: ['node'] };
}

/** Errors of one fixture, one per diagnostic, with the 0-based line they start on. */
function errorsOf(program: ts.Program, file: string): Found[] {
  const source = program.getSourceFile(file);
  if (source === undefined) throw new Error(`${file} is not in the program`);
  return [...program.getSyntacticDiagnostics(source), ...program.getSemanticDiagnostics(source)]
    .filter((diagnostic) => diagnostic.category === ts.DiagnosticCategory.Error)
    .map((diagnostic) => ({
      line: source.getLineAndCharacterOfPosition(diagnostic.start ?? 0).line,
      message: ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n'),
    }));
}

function expectationsOf(file: string): Expectation[] {
  const marker = /\/\/ @expect-error (.+)$/;
  return readFileSync(file, 'utf8')
    .split('\n')
    .flatMap((line, index) => {
      const match = marker.exec(line.trim());
      return match === null ? [] : [{ line: index + 1, text: match[1]!.trim() }];
    });
}

/** Parsed files are the same in both modes (only type checking differs), so both Programs share them. */
const parsed = new Map<string, ts.SourceFile>();

function createProgram(files: readonly string[], options: ts.CompilerOptions): ts.Program {
  const host = ts.createCompilerHost(options);
  const read = host.getSourceFile.bind(host);
  host.getSourceFile = (fileName, languageVersion, onError, shouldCreate) => {
    const key = `${String(typeof languageVersion === 'object' ? languageVersion.languageVersion : languageVersion)}:${fileName}`;
    let source = parsed.get(key);
    if (source === undefined) {
      source = read(fileName, languageVersion, onError, shouldCreate);
      if (source !== undefined) parsed.set(key, source);
    }
    return source;
  };
  return ts.createProgram({ rootNames: files, options, host });
}

function show(errors: readonly Found[]): string {
  return errors.map((error) => `line ${error.line + 1}: ${error.message}`).join('\n\n');
}

describe.each(Object.keys(modes) as Mode[])('compile-time checks with %s decorators', (mode) => {
  const files = fixturesOf(mode);
  let program: ts.Program;

  beforeAll(() => {
    program = createProgram(files, optionsOf(mode));
  }, 60_000);

  it('has fixtures that must compile and fixtures that must fail', () => {
    const names = files.map((file) => file.slice(file.lastIndexOf('/') + 1));
    expect(names.some((name) => name.startsWith('pass-'))).toBe(true);
    expect(names.some((name) => name.startsWith('fail-'))).toBe(true);
    expect(names.filter((name) => !name.startsWith('pass-') && !name.startsWith('fail-'))).toEqual([]);
  });

  it.each(files.filter((file) => file.includes('/pass-')).map((file) => [file.slice(file.lastIndexOf('/') + 1), file]))(
    '%s compiles without errors',
    (_name, file) => {
      expect(show(errorsOf(program, file))).toBe('');
    },
  );

  it.each(files.filter((file) => file.includes('/fail-')).map((file) => [file.slice(file.lastIndexOf('/') + 1), file]))(
    '%s fails exactly on each line marked @expect-error',
    (_name, file) => {
      const expectations = expectationsOf(file);
      expect(expectations.length).toBeGreaterThan(0);
      const errors = errorsOf(program, file);
      const missing = expectations.filter(
        (expected) => !errors.some((error) => error.line === expected.line && error.message.includes(expected.text)),
      );
      // Like `@ts-expect-error`: a marked line may have several errors, an unmarked line none.
      const unexpected = errors.filter((error) => !expectations.some((expected) => expected.line === error.line));
      expect({
        missing: missing.map((expected) => `line ${expected.line + 1}: an error containing "${expected.text}"`),
        unexpected: show(unexpected),
      }).toEqual({ missing: [], unexpected: '' });
    },
  );
});
