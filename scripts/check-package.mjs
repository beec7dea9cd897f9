// `npm run test:package`: checks the package a user would install, after `npm run build`.
//
// 1. Packs it (`npm pack`) and lints the tarball: publint (strict) and Are The Types Wrong.
// 2. Reads the packed files: the core entry reaches nothing of NestJS or OpenTelemetry, each
//    declaration file imports declarations of its own flavour, every bare import is a dependency
//    or a peer, and every file with a top-level side effect is named in `sideEffects`.
// 3. Installs the tarball in a throwaway consumer (a fresh directory under the OS's temp dir, so
//    that nothing can resolve from this repository's node_modules) and loads every
//    entry point with `require` and with `import`, and runs a tiny graph through each; then runs a
//    flow across processes on a redis-server of its own, SIGKILLing workers and invokers mid-run
//    (scripts/package-processes.mjs).
// 4. Type-checks a consumer .ts file against the installed package under moduleResolution
//    node16 (ESM .mts and CommonJS .cts), bundler and node10, with TypeScript 5.9 and 7, in both
//    decorator modes; the node16 builds are emitted and run too.
// 5. Type-checks every TypeScript snippet of README.md and docs/*.md as a file of its own in the
//    consumer (a CommonJS project, as Nest's are), as a user would paste it: imports included,
//    no top-level return or await, no name the snippet does not define or import.
//
// Ends with `package checks — N passed, M failed`, writes the counts to .tmp/package-results.json
// (for `scripts/test-summary.mjs`), and exits 1 when anything failed.
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { docSnippets, writeSnippetProject } from './docs-snippets.mjs';
import { checkRecorder, seconds } from './check-recorder.mjs';
import { checkProcesses } from './package-processes.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
// Outside the repository: a consumer below it would quietly resolve whatever the package forgot
// to depend on from the repository's own node_modules.
const work = mkdtempSync(join(tmpdir(), 'async-dag-package-check-'));
const consumer = join(work, 'consumer');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const started = performance.now();
const { results, check } = checkRecorder();

// ---------------------------------------------------------------------------------------------
// Plumbing

/** Runs a command; resolves with its exit code and output, never rejects. */
function run(command, args, options = {}) {
  return new Promise((done) => {
    execFile(
      command,
      args,
      { cwd: root, maxBuffer: 64 * 1024 * 1024, timeout: 180_000, ...options, env: { ...process.env, ...options.env } },
      (error, stdout, stderr) =>
        done({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr }),
    );
  });
}

/** At most `limit` tasks at once: the machine has two cores, shared. */
async function pool(tasks, limit = Math.max(1, Math.min(2, availableParallelism()))) {
  const out = new Array(tasks.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, tasks.length) }, async () => {
      while (next < tasks.length) {
        const index = next++;
        out[index] = await tasks[index]();
      }
    }),
  );
  return out;
}

function finish() {
  const failed = results.filter((r) => !r.ok).length;
  // Kept when something failed, to look at.
  if (failed === 0) rmSync(work, { recursive: true, force: true });
  else console.log(`\nThe packed tarball and the consumer are kept in ${work}`);
  console.log(`\npackage check took ${seconds(performance.now() - started)}`);
  console.log(`package checks — ${results.length - failed} passed, ${failed} failed`);
  mkdirSync(join(root, '.tmp'), { recursive: true });
  writeFileSync(
    join(root, '.tmp', 'package-results.json'),
    JSON.stringify({ passed: results.length - failed, failed }) + '\n',
  );
  process.exitCode = failed > 0 ? 1 : 0;
}

function fatal(message) {
  results.push({ name: message, ok: false });
  console.log(`  FAIL  ${message}`);
  finish();
  process.exit(1);
}

// ---------------------------------------------------------------------------------------------
// What the package promises

/** Entry points: subpath -> the files of each condition, read from package.json `exports`. */
const entries = Object.entries(pkg.exports)
  .filter(([subpath]) => subpath !== './package.json')
  .map(([subpath, target]) => ({
    subpath,
    specifier: subpath === '.' ? pkg.name : `${pkg.name}/${subpath.slice(2)}`,
    files: [target.import.types, target.import.default, target.require.types, target.require.default],
  }));
const OPTIONAL_PEERS = Object.keys(pkg.peerDependencies ?? {});
const ALLOWED_BARE = new Set([...Object.keys(pkg.dependencies ?? {}), ...OPTIONAL_PEERS]);
const FORBIDDEN_IN_CORE = /^(@nestjs\/|@opentelemetry\/|bullmq$|ioredis$)/;

if (!existsSync(join(root, 'dist', 'index.mjs'))) fatal('dist/ is missing: run `npm run build` first');
mkdirSync(consumer, { recursive: true });
console.log(`Checking ${pkg.name}@${pkg.version}: ${entries.map((e) => e.specifier).join(', ')}`);

// ---------------------------------------------------------------------------------------------
// 1. Pack, lint

const packed = await run('npm', ['pack', '--json', '--pack-destination', work]);
if (packed.code !== 0) fatal(`npm pack failed:\n${packed.stderr}`);
const [packInfo] = JSON.parse(packed.stdout);
const tarball = join(work, packInfo.filename);
const packedFiles = packInfo.files.map((f) => f.path);
console.log(`Packed ${packInfo.filename}: ${packedFiles.length} files, ${(packInfo.size / 1024).toFixed(0)} kB`);

// Installing the consumer is the slow part; it runs while the linters do.
const versionOf = (name) => JSON.parse(readFileSync(join(root, 'node_modules', name, 'package.json'), 'utf8')).version;
writeFileSync(join(consumer, 'package.json'), JSON.stringify({ name: 'async-dag-consumer', private: true }, null, 2));
const installing = run(
  'npm',
  [
    'install',
    '--prefer-offline',
    '--no-audit',
    '--no-fund',
    '--ignore-scripts',
    '--no-package-lock',
    '--loglevel=error',
    tarball,
    // The optional peers, at the versions this repository tests with, plus what a TypeScript
    // user of each entry has anyway: Node's types, and jest's `expect` for async-dag/testing;
    // and what the docs' snippets import besides the package (jest's types for the test files,
    // Nest's testing module, an OpenTelemetry SDK, the libraries the migration guide leaves, and
    // Temporal's workflow API for the Temporal recipe).
    ...[
      '@nestjs/common',
      '@nestjs/core',
      '@opentelemetry/api',
      'rxjs',
      'bullmq',
      'ioredis',
      '@types/node',
      'expect',
      '@types/jest',
      '@nestjs/testing',
      '@opentelemetry/sdk-trace-base',
      'async',
      '@types/async',
      'p-graph',
      '@temporalio/workflow',
    ].map((name) => `${name}@${versionOf(name)}`),
  ],
  { cwd: consumer },
);

await check('every file named in package.json exists in the tarball', () => {
  const named = [
    pkg.main,
    pkg.module,
    pkg.types,
    ...entries.flatMap((e) => e.files),
    ...Object.values(pkg.typesVersions?.['*'] ?? {}).flat(),
  ];
  const missing = [...new Set(named)].filter((file) => !packedFiles.includes(file.replace(/^\.\//, '')));
  if (missing.length > 0) throw new Error(`missing from the tarball: ${missing.join(', ')}`);
  const stray = packedFiles.filter((file) => !/^(dist\/|package\.json$|README\.md$|LICENSE$)/.test(file));
  if (stray.length > 0) throw new Error(`packed but not part of the package: ${stray.join(', ')}`);
  return `${packedFiles.length} files`;
});

await check('publint --strict finds no error or warning', async () => {
  const { publint } = await import('publint');
  const { formatMessage } = await import('publint/utils');
  const data = readFileSync(tarball);
  const { messages, pkg: packedPkg } = await publint({
    pack: { tarball: data.buffer.slice(data.byteOffset, data.byteOffset + data.byteLength) },
    strict: true,
    level: 'suggestion',
  });
  const lines = (kind) =>
    messages.filter((m) => m.type === kind).map((m) => `${kind}: ${formatMessage(m, packedPkg) ?? m.code}`);
  const problems = [...lines('error'), ...lines('warning')];
  if (problems.length > 0) throw new Error(problems.join('\n'));
  const suggestions = lines('suggestion');
  return suggestions.length === 0
    ? 'clean'
    : `${suggestions.length} suggestion(s): ${messages
        .filter((m) => m.type === 'suggestion')
        .map((m) => m.code)
        .join(', ')}`;
});

await check('Are The Types Wrong finds no problem in any entry point or resolution mode', async () => {
  const cli = join(root, 'node_modules', '@arethetypeswrong', 'cli', 'dist', 'index.js');
  const out = await run(process.execPath, [cli, tarball, '--no-definitely-typed', '--format', 'json']);
  let report;
  try {
    report = JSON.parse(out.stdout);
  } catch {
    throw new Error(`attw gave no report (exit ${out.code}):\n${out.stderr || out.stdout}`);
  }
  const problems = Array.isArray(report.analysis?.problems) ? report.analysis.problems : [];
  if (out.code !== 0 || problems.length > 0) {
    const table = await run(process.execPath, [
      cli,
      tarball,
      '--no-definitely-typed',
      '--format',
      'ascii',
      '--no-color',
    ]);
    throw new Error(`${problems.length} problem(s):\n${table.stdout}`);
  }
  const checked = Object.values(report.analysis.entrypoints).flatMap((e) => Object.keys(e.resolutions));
  return `${Object.keys(report.analysis.entrypoints).length} entry points x ${new Set(checked).size} modes`;
});

const installStart = performance.now();
const installed = await installing;
console.log(
  `Installed the tarball and the peers in ${consumer} (waited ${seconds(performance.now() - installStart)} more)`,
);
if (installed.code !== 0) fatal(`npm install of the tarball in ${consumer} failed:\n${installed.stderr}`);
const pkgDir = join(consumer, 'node_modules', pkg.name);

// ---------------------------------------------------------------------------------------------
// 2. Read the packed files

/** Import specifiers of a JavaScript or declaration file, with whether each is a bare side-effect import. */
function importsOf(file) {
  // Without comments: JSDoc examples show imports that the file does not make.
  const text = readFileSync(file, 'utf8')
    .replace(/\/\*[\s\S]*?\*\//g, '')
    .replace(/^\s*\/\/.*$/gm, '');
  const found = [];
  const patterns = [
    /^\s*import\s+(['"])([^'"]+)\1/gm, // import 'x'  (side effect only)
    /^\s*require\((['"])([^'"]+)\1\);?\s*$/gm, // require('x');  (side effect only)
    /\bfrom\s+(['"])([^'"]+)\1/g,
    /\brequire\((['"])([^'"]+)\1\)/g,
    /\bimport\((['"])([^'"]+)\1\)/g,
  ];
  patterns.forEach((pattern, index) => {
    for (const match of text.matchAll(pattern))
      found.push({ specifier: match[2], bareEffect: index < 2 && !match[2].startsWith('.') });
  });
  return found;
}

/** Every file reachable from `start` through relative imports, `start` included. */
function reachable(start) {
  const seen = new Set();
  const stack = [start];
  while (stack.length > 0) {
    const file = stack.pop();
    if (seen.has(file)) continue;
    seen.add(file);
    for (const { specifier } of importsOf(file)) {
      if (specifier.startsWith('.'))
        stack.push(declarationTarget(file, specifier) ?? resolve(dirname(file), specifier));
    }
  }
  return seen;
}

/** A declaration file imports `./x.mjs` meaning `./x.d.mts`; this maps it back. */
function declarationTarget(file, specifier) {
  const flavour = /\.d\.(m|c)?ts$/.exec(file);
  if (flavour === null) return undefined;
  return resolve(
    dirname(file),
    specifier.replace(/\.(m|c)?js$/, (_all, kind) => `.d.${kind ?? ''}ts`),
  );
}

const bareOf = (specifier) =>
  specifier.startsWith('@') ? specifier.split('/').slice(0, 2).join('/') : specifier.split('/')[0];
const distFiles = readdirSync(join(pkgDir, 'dist'), { recursive: true })
  .map((file) => join(pkgDir, 'dist', String(file)))
  .filter((file) => /\.(mjs|cjs|d\.mts|d\.cts|d\.ts)$/.test(file));

await check('the core entry reaches nothing of NestJS or OpenTelemetry (code and declarations)', () => {
  const core = entries.find((e) => e.subpath === '.');
  const leaks = [];
  let files = 0;
  for (const file of core.files) {
    for (const reached of reachable(join(pkgDir, file))) {
      files++;
      for (const { specifier } of importsOf(reached)) {
        if (FORBIDDEN_IN_CORE.test(specifier)) leaks.push(`${relative(pkgDir, reached)} imports ${specifier}`);
      }
    }
  }
  if (leaks.length > 0) throw new Error(leaks.join('\n'));
  return `${files} files followed`;
});

await check(
  'each declaration file imports declarations of its own flavour (.d.mts -> .d.mts, .d.cts -> .d.cts)',
  () => {
    const wrong = [];
    for (const file of distFiles.filter((f) => /\.d\.(m|c)?ts$/.test(f))) {
      const flavour = /\.d\.((?:m|c)?ts)$/.exec(file)[1];
      for (const { specifier } of importsOf(file)) {
        if (!specifier.startsWith('.')) continue;
        if (/\.d\.(m|c)?ts$/.test(specifier))
          wrong.push(`${relative(pkgDir, file)}: "${specifier}" names a declaration file`);
        const target = declarationTarget(file, specifier);
        if (!target.endsWith(`.d.${flavour}`))
          wrong.push(`${relative(pkgDir, file)}: "${specifier}" is not a .d.${flavour} import`);
        else if (!existsSync(target)) wrong.push(`${relative(pkgDir, file)}: "${specifier}" does not exist`);
      }
    }
    if (wrong.length > 0) throw new Error(wrong.join('\n'));
  },
);

await check(
  'every bare import is a dependency, an optional peer or a node: builtin (no tslib, no devDependency)',
  () => {
    const wrong = [];
    for (const file of distFiles) {
      for (const { specifier } of importsOf(file)) {
        if (specifier.startsWith('.') || specifier.startsWith('node:')) continue;
        if (!ALLOWED_BARE.has(bareOf(specifier))) wrong.push(`${relative(pkgDir, file)} imports ${specifier}`);
      }
    }
    if (wrong.length > 0) throw new Error(wrong.join('\n'));
  },
);

await check('`sideEffects` names exactly the files with a top-level effect, and they exist', () => {
  const listed = pkg.sideEffects;
  if (!Array.isArray(listed)) throw new Error('`sideEffects` should be an explicit list of files');
  const matches = (file) =>
    listed.some((pattern) =>
      new RegExp(
        `^${pattern
          .replace(/^\.\//, '')
          .replace(/[.+?^${}()|[\]\\]/g, '\\$&')
          .replace(/\*/g, '[^/]*')}$`,
      ).test(file),
    );
  const problems = [];
  const effects = [];
  for (const file of distFiles.filter((f) => /\.(mjs|cjs)$/.test(f))) {
    const name = relative(pkgDir, file);
    const text = readFileSync(file, 'utf8');
    const effect =
      importsOf(file).some((i) => i.bareEffect) || /Symbol\.metadata\s*\?\?=|Symbol\.metadata\s*=[^=]/.test(text);
    if (effect) effects.push(name);
    if (effect && !matches(name)) problems.push(`${name} has a top-level effect but is not in sideEffects`);
  }
  for (const pattern of listed) {
    if (!packedFiles.some((file) => matches(file)))
      problems.push(`sideEffects names ${pattern}, which matches no packed file`);
  }
  if (effects.length === 0) problems.push('found no file defining Symbol.metadata or loading reflect-metadata');
  if (problems.length > 0) throw new Error(problems.join('\n'));
  return effects.join(', ');
});

// ---------------------------------------------------------------------------------------------
// 3. Load every entry point, both ways

const loadScript = (how) => `
${how === 'require' ? "const { createRequire } = require('node:module');" : "import { createRequire } from 'node:module';"}
const entries = ${JSON.stringify(entries.map((e) => e.specifier))};
const load = ${how === 'require' ? 'async (s) => require(s)' : 'async (s) => import(s)'};
const out = { names: {}, shared: [] };
const core = await load(entries[0]);
for (const specifier of entries) {
  const mod = await load(specifier);
  out.names[specifier] = Object.keys(mod).filter((k) => k !== 'default' && k !== '__esModule').sort();
  // A name exported by two entries must be the very same object (one shared chunk per format).
  for (const name of out.names[specifier]) {
    if (specifier !== entries[0] && name in core) out.shared.push([specifier, name, mod[name] === core[name]]);
  }
}
let doubled;
const graph = core.buildDag((tm) => {
  const base = tm.addNode((p) => p + 1);
  doubled = tm.addNode(async (n) => n * 2, base);
});
out.value = doubled.extractResult(await graph.invoke(20));
const error = await core.buildDag((tm) => { tm.addNode(() => { throw new Error('x'); }); }).invoke().catch((e) => e);
out.error = [error instanceof core.DagError, error.code];
console.log(JSON.stringify(out));
`;

// Blocks the optional peers, so the core entry must load without ever asking for them.
const blockPeers = `
const Module = require('node:module');
const original = Module._resolveFilename;
Module._resolveFilename = function (request, ...rest) {
  if (${FORBIDDEN_IN_CORE}.test(request)) throw new Error('the core entry asked for ' + request);
  return original.call(this, request, ...rest);
};
`;
const blockPeersEsm = `
export async function resolve(specifier, context, next) {
  if (${FORBIDDEN_IN_CORE}.test(specifier)) throw new Error('the core entry asked for ' + specifier);
  return next(specifier, context);
}
`;

writeFileSync(
  join(consumer, 'load.cjs'),
  `(async () => {${loadScript('require')}})().catch((e) => { console.error(e); process.exit(1); });`,
);
writeFileSync(join(consumer, 'load.mjs'), loadScript('import'));
writeFileSync(
  join(consumer, 'core-only.cjs'),
  `${blockPeers}\nconst core = require('${pkg.name}');\ncore.buildDag((tm) => void tm.addNode(() => 1)).invoke().then((r) => console.log(r.get('node_0')));`,
);
writeFileSync(join(consumer, 'block-peers.mjs'), blockPeersEsm);
writeFileSync(
  join(consumer, 'core-only.mjs'),
  `import { register } from 'node:module';\nregister('./block-peers.mjs', import.meta.url);\nconst core = await import('${pkg.name}');\nconsole.log((await core.buildDag((tm) => void tm.addNode(() => 1)).invoke()).get('node_0'));`,
);

const loads = {};
for (const how of ['require', 'import']) {
  await check(`${how}: every entry point loads and a tiny graph runs`, async () => {
    const out = await run(process.execPath, [how === 'require' ? 'load.cjs' : 'load.mjs'], { cwd: consumer });
    if (out.code !== 0) throw new Error(out.stderr || out.stdout);
    const report = JSON.parse(out.stdout.trim().split('\n').pop());
    loads[how] = report;
    const problems = [];
    for (const specifier of entries.map((e) => e.specifier)) {
      if (report.names[specifier].length === 0) problems.push(`${specifier} exports nothing`);
    }
    for (const [specifier, name, same] of report.shared)
      if (!same) problems.push(`${specifier}'s ${name} is a copy, not the core's own`);
    if (report.value !== 42) problems.push(`the graph gave ${report.value}, expected 42`);
    if (!report.error[0] || report.error[1] !== 'NODE_FAILED')
      problems.push(`a failing node gave ${JSON.stringify(report.error)}`);
    if (problems.length > 0) throw new Error(problems.join('\n'));
    return entries
      .map((e) => `${e.specifier.replace(`${pkg.name}/`, '')}: ${report.names[e.specifier].length} names`)
      .join(', ');
  });
}

await check('require and import see the same export names in every entry point', () => {
  if (!loads.require || !loads.import) throw new Error('an entry failed to load above');
  const diff = entries
    .map((e) => e.specifier)
    .filter((s) => JSON.stringify(loads.require.names[s]) !== JSON.stringify(loads.import.names[s]))
    .map((s) => `${s}: require ${loads.require.names[s].join(',')} / import ${loads.import.names[s].join(',')}`);
  if (diff.length > 0) throw new Error(diff.join('\n'));
});

for (const file of ['core-only.cjs', 'core-only.mjs']) {
  await check(
    `${file.endsWith('cjs') ? 'require' : 'import'}: the core entry loads and runs with NestJS and OpenTelemetry unreachable`,
    async () => {
      const out = await run(process.execPath, [file], { cwd: consumer });
      if (out.code !== 0 || out.stdout.trim() !== '1') throw new Error(out.stderr || out.stdout);
    },
  );
}

// A flow across processes on a real Redis, with processes SIGKILLed mid-run (package-processes.mjs).
await checkProcesses({ consumer, check, run });

// ---------------------------------------------------------------------------------------------
// 4. Type-check (and for node16, emit and run) a consumer under each resolution mode

const coreTypes = readFileSync(join(pkgDir, 'dist', 'index.d.ts'), 'utf8');
const hasDsl = /\bDag\b/.test(coreTypes) && /\bnode\b/.test(coreTypes) && /\bimmediate\b/.test(coreTypes);
const subpathImports = entries
  .filter((e) => e.subpath !== '.')
  .map((e) => ({ id: e.subpath.slice(2).replace(/\W/g, '_'), specifier: e.specifier }));

const consumerSource = `// Written by scripts/check-package.mjs: what a user of ${pkg.name} writes, checked against the packed package.
import { buildDag, DagError, type TaskNode${hasDsl ? ', Dag, node, immediate' : ''} } from '${pkg.name}';
${subpathImports.map((s) => `import * as ${s.id} from '${s.specifier}';`).join('\n')}

type IsAny<T> = 0 extends 1 & T ? true : false;
// Every entry point resolved to real declarations, not to \`any\`.
export const resolvedTypes: false[] = [${['buildDag', ...subpathImports.map((s) => s.id)].map((id) => `false as IsAny<typeof ${id}>`).join(', ')}];

export async function main(): Promise<string[]> {
  const lines: string[] = [];
  let doubled!: TaskNode<number>;
  const graph = buildDag<number>((tm) => {
    const base = tm.addNode((p: number) => p + 1);
    doubled = tm.addNode(async (n: number) => n * 2, base);
    // @ts-expect-error a TaskNode<number> does not fit a string parameter
    tm.addNode((s: string) => s.length, base);
  });
  const result = await graph.invoke(20);
  const value: number = doubled.extractResult(result);
  // @ts-expect-error the value of a TaskNode<number> is not a string
  const notString: string = doubled.extractResult(result);
  void notString;
  lines.push(\`builder \${value}\`);
  const failure = await buildDag((tm) => void tm.addNode(() => { throw new Error('x'); })).invoke().catch((e: unknown) => e);
  lines.push(\`error \${failure instanceof DagError ? failure.code : 'not a DagError'}\`);
${
  hasDsl
    ? `
  class Flow extends Dag<{ n: number }> {
    @immediate base(p: { n: number }): number { return p.n; }
    @node('base') async doubled(b: number): Promise<number> { return b * 2; }
    @node('base', 'doubled') sum(b: number, d: number): number { return b + d; }
  }
  const out = await new Flow().invoke({ n: 7 });
  const sum: number = out.get('sum');
  // @ts-expect-error the value of 'sum' is a number, not a string
  const sumText: string = out.get('sum');
  void sumText;
  lines.push(\`dsl \${sum}\`);

  class Broken extends Dag {
    // @ts-expect-error 'missing' is not a member of Broken
    @node('missing') lonely(): number { return 1; }
  }
  void Broken;
`
    : ''
}
  lines.push(\`entries \${[${subpathImports.map((s) => s.id).join(', ')}].map((m) => Object.keys(m).length > 0).join(',')}\`);
  return lines;
}

void main().then(
  (lines) => console.log(JSON.stringify(lines)),
  (error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  },
);
`;

const expectedLines = [
  'builder 42',
  'error NODE_FAILED',
  ...(hasDsl ? ['dsl 21'] : []),
  `entries ${subpathImports.map(() => 'true').join(',')}`,
];

const compilers = [
  { name: 'TypeScript 5.9', bin: join(root, 'node_modules', 'typescript', 'bin', 'tsc') },
  { name: 'TypeScript 7', bin: join(root, 'node_modules', 'typescript-7', 'bin', 'tsc') },
];
for (const compiler of compilers) {
  const version = await run(process.execPath, [compiler.bin, '--version']);
  compiler.version = version.stdout.trim().replace(/^Version /, '');
  if (version.code !== 0) fatal(`${compiler.name} is not installed at ${relative(root, compiler.bin)}`);
}

const decoratorModes = [
  { name: 'legacy decorators', options: { experimentalDecorators: true, emitDecoratorMetadata: true } },
  { name: 'TC39 decorators', options: { experimentalDecorators: false, emitDecoratorMetadata: false } },
];
const resolutions = [
  {
    name: 'node16',
    files: ['consumer.mts', 'consumer.cts'],
    options: { module: 'node16', moduleResolution: 'node16' },
    emit: true,
  },
  { name: 'bundler', files: ['consumer.ts'], options: { module: 'esnext', moduleResolution: 'bundler' } },
  // TypeScript 7 removed moduleResolution node10 (error TS5108), so only 5.9 can check it.
  {
    name: 'node10',
    files: ['consumer.ts'],
    options: { module: 'commonjs', moduleResolution: 'node10' },
    only: 'TypeScript 5.9',
  },
];

for (const file of ['consumer.ts', 'consumer.mts', 'consumer.cts']) writeFileSync(join(consumer, file), consumerSource);

// Checking the package's own declarations (skipLibCheck: false) also checks every @nestjs,
// rxjs and @types/node declaration the consumer reaches: 3x the time for TypeScript 5.9. So 5.9
// does it once per declaration flavour (node16: .d.mts + .d.cts, node10: .d.ts); TypeScript 7
// is fast enough to do it everywhere.
const checksLibraries = (compiler, resolution, mode) =>
  compiler.name !== 'TypeScript 5.9' || (resolution.name !== 'bundler' && mode.options.experimentalDecorators);

const typeChecks = [];
for (const compiler of compilers) {
  for (const resolution of resolutions) {
    if (resolution.only !== undefined && resolution.only !== compiler.name) continue;
    for (const mode of decoratorModes) {
      const id = `${compiler.name.replace(/\W+/g, '')}-${resolution.name}-${mode.options.experimentalDecorators ? 'legacy' : 'tc39'}`;
      const outDir = join(work, 'out', id);
      const tsconfig = join(consumer, `tsconfig.${id}.json`);
      const skipLibCheck = !checksLibraries(compiler, resolution, mode);
      writeFileSync(
        tsconfig,
        JSON.stringify(
          {
            compilerOptions: {
              target: 'ES2022',
              lib: ['ES2023'],
              types: ['node'],
              strict: true,
              exactOptionalPropertyTypes: true,
              noUncheckedIndexedAccess: true,
              skipLibCheck,
              ...resolution.options,
              ...mode.options,
              ...(resolution.emit ? { outDir, rootDir: '.' } : { noEmit: true }),
            },
            files: resolution.files,
          },
          null,
          2,
        ),
      );
      typeChecks.push({ id, compiler, resolution, mode, tsconfig, outDir, skipLibCheck });
    }
  }
}

/** Type-checks one configuration, then (node16) runs what it emitted, as `import` and as `require`. */
async function typeCheckJob(job) {
  const t0 = performance.now();
  const tsc = await run(process.execPath, [job.compiler.bin, '-p', job.tsconfig], { cwd: consumer });
  const tscTime = performance.now() - t0;
  const runs = [];
  if (job.resolution.emit && tsc.code === 0) {
    for (const [file, how] of [
      ['consumer.mjs', 'import'],
      ['consumer.cjs', 'require'],
    ]) {
      // Copied next to the consumer's sources so that `${pkg.name}` resolves from its node_modules.
      const target = join(consumer, `run-${job.id}-${file}`);
      writeFileSync(target, readFileSync(join(job.outDir, file)));
      runs.push({ file, how, out: await run(process.execPath, [target], { cwd: consumer }) });
    }
  }
  return { job, tsc, tscTime, runs };
}

const typeStart = performance.now();
const checkedTypes = await pool(typeChecks.map((job) => () => typeCheckJob(job)));
console.log(
  `Ran ${typeChecks.length} type-checks and ${checkedTypes.reduce((n, c) => n + c.runs.length, 0)} emitted consumers in ${seconds(performance.now() - typeStart)}, two at a time`,
);
for (const { job, tsc, tscTime, runs } of checkedTypes) {
  const label = `${job.compiler.name} (${job.compiler.version}), moduleResolution ${job.resolution.name}, ${job.mode.name}: the consumer type-checks`;
  await check(
    label,
    () => {
      if (tsc.code !== 0) throw new Error((tsc.stdout + tsc.stderr).trim() || `tsc exited ${tsc.code}`);
      return `${job.resolution.files.join(' + ')}${job.skipLibCheck ? '' : ', declarations included'}, ${seconds(tscTime)}`;
    },
    { timed: false },
  );
  for (const { file, how, out } of runs) {
    await check(
      `  ...and its emitted ${file} runs (${how}, ${job.mode.name})`,
      () => {
        if (out.code !== 0) throw new Error(out.stderr || out.stdout);
        const lines = JSON.parse(out.stdout.trim().split('\n').pop());
        if (JSON.stringify(lines) !== JSON.stringify(expectedLines)) {
          throw new Error(`printed ${JSON.stringify(lines)}, expected ${JSON.stringify(expectedLines)}`);
        }
        return lines.join('; ');
      },
      { timed: false },
    );
  }
}
// ---------------------------------------------------------------------------------------------
// 5. Every snippet of the docs, pasted into the consumer as a file of its own

{
  const { snippets, unnamed } = docSnippets(root);
  const dir = join(consumer, 'snippets');
  mkdirSync(dir, { recursive: true });
  // The consumer is a CommonJS project (no "type": "module"), where top-level await is an error.
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ private: true, type: 'commonjs' }) + '\n');
  const configs = writeSnippetProject(dir, snippets);
  const tsc = join(root, 'node_modules', 'typescript', 'bin', 'tsc');
  await check('every TypeScript block of the docs names the example it shows', () => {
    if (unnamed.length > 0) throw new Error(unnamed.map((u) => `${u.doc} line ${u.line}`).join('\n'));
  });
  // The check itself must be able to fail: what the docs used to hold (no import, top-level
  // await and return, a name defined nowhere) is rejected, each for its own reason.
  await check('the snippet check rejects what a pasted snippet must not have', async () => {
    const bad = join(consumer, 'snippets-bad');
    mkdirSync(bad, { recursive: true });
    writeFileSync(join(bad, 'package.json'), JSON.stringify({ private: true, type: 'commonjs' }) + '\n');
    const [config] = writeSnippetProject(bad, [
      { example: 'examples/x.ts', file: 'page/examples/no-import.ts', code: 'const dag = buildDag(() => {});\n' },
      {
        example: 'examples/x.ts',
        file: 'page/examples/top-level-await.ts',
        code: "import { buildDag } from 'async-dag';\nawait buildDag(() => {}).invoke();\n",
      },
      { example: 'examples/x.ts', file: 'page/examples/top-level-return.ts', code: 'return 1;\n' },
      {
        example: 'examples/x.ts',
        file: 'page/examples/undefined-name.ts',
        code: "import { buildDag } from 'async-dag';\nbuildDag((tm) => void tm.addNode(sleep));\n",
      },
    ]);
    const out = await run(process.execPath, [tsc, '-p', config], { cwd: bad });
    const text = out.stdout + out.stderr;
    const expected = [
      ['no-import.ts', "Cannot find name 'buildDag'"],
      ['top-level-await.ts', 'TS1309|TS1378|TS1375'],
      ['top-level-return.ts', 'TS1108'],
      ['undefined-name.ts', "Cannot find name 'sleep'"],
    ];
    const missed = expected.filter(([file, error]) => !new RegExp(`${file}\\(.*(${error})`).test(text));
    if (out.code === 0 || missed.length > 0) {
      throw new Error(`not rejected: ${missed.map(([file]) => file).join(', ')}\n${text}`);
    }
    return `${expected.length} bad snippets rejected`;
  });
  for (const config of configs) {
    const files = JSON.parse(readFileSync(join(dir, config), 'utf8')).files;
    await check(
      `the docs' ${files.length} snippet(s) for ${config.includes('tc39') ? 'TC39' : 'legacy'} decorators type-check, each pasted as a file of its own`,
      async () => {
        const out = await run(process.execPath, [tsc, '-p', config], { cwd: dir });
        if (out.code !== 0) {
          // Each error names the page and the example: `docs-errors/examples/errors-cycle.ts(3,1): ...`.
          throw new Error((out.stdout + out.stderr).trim() || `tsc exited ${out.code}`);
        }
        const pages = new Set(snippets.filter((s) => files.includes(s.file)).map((s) => s.doc));
        return `from ${pages.size} page(s)`;
      },
    );
  }
}

if (!compilers.some((c) => c.name === 'TypeScript 7' && c.version.startsWith('7'))) {
  await check('TypeScript 7 is the one checked', () => {
    throw new Error(`typescript-7 is ${compilers[1].version}`);
  });
}

finish();
