// The core and the front ends run in Node, Bun, Deno, browsers, workerd and Temporal's workflow
// sandbox (scripts/check-runtimes.mjs runs the built package in each). One unguarded read of a
// global that one of them lacks (`process`, `Buffer`, `performance`, `queueMicrotask`,
// `setImmediate`, `AbortSignal.any`, ...) would break a runtime, so this spec resolves every
// identifier of those folders with the type checker: a global that is not ECMAScript's own must
// be on the short list below, which every one of those runtimes has, or be read in
// lib/run/platform.ts, the one module that reads the platform's globals, guarded.
import { relative, resolve, sep } from 'node:path';
import * as ts from 'typescript';

const root = resolve(__dirname, '..', '..');
const portableFolders = /[\\/]lib[\\/](?:(?:errors|pictures|graph|run|builder|dsl)[\\/])?[^\\/]+\.ts$/;
const platformModule = resolve(root, 'lib', 'run', 'platform.ts');

/** Host globals (not ECMAScript's) that every target runtime has, the Temporal sandbox included. */
const HOST_GLOBALS = new Set(['setTimeout', 'clearTimeout', 'AbortController', 'AbortSignal', 'console']);

/** Members of portable globals that some targets lack (Node 20's `AbortSignal.any`, ...). */
const NEWER_MEMBERS = new Set(['AbortSignal.any', 'AbortSignal.timeout', 'Promise.withResolvers', 'Array.fromAsync']);

interface Finding {
  readonly file: string;
  readonly line: number;
  readonly name: string;
}

/** Where a symbol is declared: ECMAScript's own lib files, or a host's (@types/node, lib.dom). */
function declaredBy(symbol: ts.Symbol): 'ecmascript' | 'host' | 'program' {
  const files = (symbol.declarations ?? []).map((d) => d.getSourceFile().fileName);
  if (files.length === 0) return 'program';
  if (files.some((f) => !f.includes(`${sep}node_modules${sep}`) && !f.includes('/node_modules/'))) return 'program';
  // ECMAScript's globals are declared in TypeScript's lib.es*.d.ts (and augmented by @types/node).
  if (files.some((f) => /[\\/]typescript[\\/]lib[\\/]lib\.es[\w.]*\.d\.ts$/.test(f))) return 'ecmascript';
  return 'host';
}

/** The program of the portable folders, as tsconfig.json compiles them. */
function portableProgram(): { program: ts.Program; files: string[] } {
  const config = ts.getParsedCommandLineOfConfigFile(
    resolve(root, 'tsconfig.json'),
    {},
    {
      ...ts.sys,
      onUnRecoverableConfigFileDiagnostic: (d) => {
        throw new Error(ts.flattenDiagnosticMessageText(d.messageText, '\n'));
      },
    },
  );
  if (config === undefined) throw new Error('tsconfig.json did not parse');
  const files = config.fileNames.filter((f) => portableFolders.test(f) && resolve(f) !== platformModule);
  return { program: ts.createProgram(files, config.options), files };
}

/** Every read of an unportable global in `files`. */
function findUnportableGlobals(program: ts.Program, files: readonly string[]): Finding[] {
  const checker = program.getTypeChecker();
  const findings: Finding[] = [];
  for (const file of files) {
    const source = program.getSourceFile(file);
    if (source === undefined) throw new Error(`${file} is not in the program`);
    const visit = (n: ts.Node): void => {
      if (ts.isIdentifier(n) && !isDeclarationName(n) && !isTypePosition(n)) {
        const symbol = checker.getSymbolAtLocation(n);
        if (symbol !== undefined && isGlobal(symbol)) {
          const member =
            ts.isPropertyAccessExpression(n.parent) && n.parent.expression === n
              ? `${n.text}.${n.parent.name.text}`
              : undefined;
          const unportable =
            (declaredBy(symbol) === 'host' && !HOST_GLOBALS.has(n.text)) ||
            (member !== undefined && NEWER_MEMBERS.has(member));
          if (unportable) {
            const { line } = source.getLineAndCharacterOfPosition(n.getStart(source));
            findings.push({ file: relative(root, file), line: line + 1, name: member ?? n.text });
          }
        }
      }
      ts.forEachChild(n, visit);
    };
    visit(source);
  }
  return findings;
}

function isGlobal(symbol: ts.Symbol): boolean {
  const declaration = symbol.declarations?.[0];
  if (declaration === undefined) return false;
  // A global is declared at the top of a script file (a lib .d.ts) or in `declare global`.
  let scope: ts.Node | undefined = declaration.parent;
  while (scope !== undefined && !ts.isSourceFile(scope) && !ts.isModuleBlock(scope) && !isFunctionLike(scope)) {
    scope = scope.parent;
  }
  if (scope === undefined || isFunctionLike(scope)) return false;
  if (ts.isSourceFile(scope)) return !ts.isExternalModule(scope);
  return ts.isModuleDeclaration(scope.parent) && scope.parent.name.getText() === 'global';
}

function isFunctionLike(n: ts.Node): boolean {
  return ts.isFunctionLike(n) || ts.isClassLike(n);
}

/** The name being declared (a property, a parameter, ...), not a read of a binding. */
function isDeclarationName(n: ts.Identifier): boolean {
  const parent = n.parent;
  if (ts.isPropertyAccessExpression(parent) && parent.name === n) return true;
  if (ts.isQualifiedName(parent) && parent.right === n) return true;
  return (
    (ts.isPropertyAssignment(parent) ||
      ts.isPropertyDeclaration(parent) ||
      ts.isPropertySignature(parent) ||
      ts.isMethodDeclaration(parent) ||
      ts.isMethodSignature(parent) ||
      ts.isGetAccessor(parent) ||
      ts.isSetAccessor(parent) ||
      ts.isParameter(parent) ||
      ts.isVariableDeclaration(parent) ||
      ts.isFunctionDeclaration(parent) ||
      ts.isClassDeclaration(parent) ||
      ts.isBindingElement(parent) ||
      ts.isImportSpecifier(parent) ||
      ts.isExportSpecifier(parent)) &&
    (parent as { name?: ts.Node }).name === n
  );
}

/** Inside a type: `typeof setTimeout` in `ReturnType<typeof setTimeout>` reads nothing at run time. */
function isTypePosition(n: ts.Node): boolean {
  for (let p: ts.Node | undefined = n.parent; p !== undefined; p = p.parent) {
    if (ts.isTypeNode(p) || ts.isTypeQueryNode(p) || ts.isHeritageClause(p) || ts.isTypeAliasDeclaration(p)) {
      return (
        !ts.isExpressionWithTypeArguments(p) ||
        !ts.isHeritageClause(p.parent) ||
        p.parent.token !== ts.SyntaxKind.ExtendsKeyword
      );
    }
    if (ts.isInterfaceDeclaration(p)) return true;
    if (ts.isStatement(p) || ts.isSourceFile(p)) return false;
  }
  return false;
}

describe('the portable core (lib/errors, pictures, graph, run, builder, dsl and lib/*.ts)', () => {
  it('reads no global that a browser, Bun, Deno, workerd or the Temporal sandbox may lack, except in lib/run/platform.ts', () => {
    const { program, files } = portableProgram();
    expect(files.length).toBeGreaterThan(40);
    const found = findUnportableGlobals(program, files).map((f) => `${f.file}:${f.line} reads ${f.name}`);
    expect(found).toEqual([]);
  });

  it('would notice one: the reads the clock made before lib/run/platform.ts, and others', () => {
    // Checked on a scratch program, so that the sources stay as they are.
    const file = resolve(root, 'lib', 'run', '__scratch__.ts');
    const text = [
      'export const a = performance.now();',
      "export const b = typeof process === 'object' ? process.nextTick : queueMicrotask;",
      'export const c = AbortSignal.any([]);',
      "export const d = Buffer.from('x');",
      'export const e = setTimeout(() => undefined, 0);',
      'export const f = (x: typeof setImmediate) => new Map([[x, Array.from([1])]]);',
    ].join('\n');
    const options: ts.CompilerOptions = { types: ['node'], lib: ['lib.es2023.d.ts'], noEmit: true };
    const host = ts.createCompilerHost(options);
    const readFile = host.readFile.bind(host);
    host.readFile = (name) => (resolve(name) === file ? text : readFile(name));
    const fileExists = host.fileExists.bind(host);
    host.fileExists = (name) => resolve(name) === file || fileExists(name);
    const program = ts.createProgram([file], options, host);
    const found = findUnportableGlobals(program, [file]).map((f) => `${f.line}:${f.name}`);
    expect(found).toEqual([
      '1:performance.now',
      '2:process',
      '2:process.nextTick',
      '2:queueMicrotask',
      '3:AbortSignal.any',
      '4:Buffer.from',
    ]);
  });
});
