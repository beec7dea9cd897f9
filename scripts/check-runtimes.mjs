// `npm run test:runtimes`: runs the built package (dist/) in every runtime the core promises to
// run in, after `npm run build`, and prints the table docs/where-it-runs.md shows.
//
// 1. Bundles spec/runtimes/probe.ts with esbuild against dist/index.mjs twice: once with legacy
//    decorators (`experimentalDecorators`, as NestJS compiles) and once with standard TC39 ones.
//    The probe runs the seed example on both front ends, a timeout with a retry, a cancellation
//    and a traced chain, and reports plain data.
// 2. Runs both bundles in Node, Bun and Deno (the binaries of their npm packages), in workerd
//    (with and without `nodejs_compat`) and in headless Chromium (Debian's, driven by
//    playwright-core: Playwright's own browser download cannot work here).
// 3. Runs the Temporal recipe (examples/temporal-workflow.ts), the same flow with the class DSL
//    in both decorator modes, and a node timeout, in Temporal's workflow sandbox (see
//    scripts/runtimes/temporal-sandbox.mjs for how, without a server), checking the activities'
//    schedule and the trace to the millisecond of workflow time.
// 4. Bundles `import { buildDag } from 'async-dag'` (and other imports) with esbuild, minified,
//    checks that the builder-only bundle holds no class-DSL code and no reflect-metadata, and
//    reports the sizes, gzipped.
// 5. Checks that docs/where-it-runs.md shows the table this run measured.
//
// Ends with `runtime checks — N passed, M failed`, writes the counts and the table to
// .tmp/runtime-results.json (for `scripts/test-summary.mjs`), and exits 1 when anything failed.
// `--write-docs` also writes the table and the sizes into docs/where-it-runs.md.
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { gzipSync } from 'node:zlib';
import * as esbuild from 'esbuild';
import { runInWorkflowSandbox } from './runtimes/temporal-sandbox.mjs';
import { checkRecorder, seconds } from './check-recorder.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const bin = (name) => join(root, 'node_modules', '.bin', name);
const work = mkdtempSync(join(tmpdir(), 'async-dag-runtimes-'));
const started = performance.now();
const { results, check } = checkRecorder();
const rows = [];
const PROBE_MARK = 'ASYNC_DAG_PROBE ';

/** Runs a command; resolves with its exit code and output, never rejects. */
function run(command, args, options = {}) {
  return new Promise((done) => {
    execFile(
      command,
      args,
      { cwd: work, maxBuffer: 16 * 1024 * 1024, timeout: 60_000, ...options, env: { ...process.env, ...options.env } },
      (error, stdout, stderr) =>
        done({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr }),
    );
  });
}

// ---------------------------------------------------------------------------------------------
// 1. The probes

if (!existsSync(join(root, 'dist', 'index.mjs'))) {
  console.log('  FAIL  dist/ is missing: run `npm run build` first');
  process.exit(1);
}

/** Resolves `async-dag` to the built package, as a user's bundler would. */
const useDist = {
  name: 'async-dag-from-dist',
  setup(build) {
    build.onResolve({ filter: /^async-dag$/ }, () => ({ path: join(root, 'dist', 'index.mjs') }));
  },
};

const MODES = [
  { mode: 'legacy', label: 'legacy decorators', experimentalDecorators: true },
  { mode: 'tc39', label: 'TC39 decorators', experimentalDecorators: false },
];

for (const { mode, experimentalDecorators } of MODES) {
  await esbuild.build({
    entryPoints: [join(root, 'spec', 'runtimes', 'probe.ts')],
    outfile: join(work, `probe-${mode}.mjs`),
    bundle: true,
    format: 'esm',
    platform: 'neutral',
    mainFields: ['module', 'main'],
    target: 'es2022',
    logLevel: 'error',
    plugins: [useDist],
    tsconfigRaw: { compilerOptions: { experimentalDecorators, useDefineForClassFields: true } },
    // The examples end with Node's "run me when I am the main module" idiom; elsewhere it is false.
    define: { 'require.main': 'undefined', module: 'null' },
  });
}

/** Runs both probes; `printProbes` prints their reports as one marked line of JSON. */
const hostSource = `
${MODES.map(({ mode }) => `import { probe as probe_${mode} } from './probe-${mode}.mjs';`).join('\n')}
export async function runProbes() {
  const out = {};
  ${MODES.map(({ mode }) => `out.${mode} = await probe_${mode}();`).join('\n  ')}
  return out;
}
export async function printProbes() {
  console.log(${JSON.stringify(PROBE_MARK)} + JSON.stringify(await runProbes()));
}
`;
writeFileSync(join(work, 'host.mjs'), hostSource);
writeFileSync(join(work, 'main.mjs'), "import { printProbes } from './host.mjs';\nawait printProbes();\n");

/** The probe reports out of a runtime's output. */
function reportsOf(out) {
  const line = `${out.stdout}\n${out.stderr}`.split('\n').find((l) => l.includes(PROBE_MARK));
  if (line === undefined) {
    const tail = `${out.stdout}\n${out.stderr}`.trim().split('\n').slice(-15).join('\n');
    throw new Error(`no probe report (exit code ${out.code}):\n${tail}`);
  }
  return JSON.parse(line.slice(line.indexOf(PROBE_MARK) + PROBE_MARK.length));
}

/** One check per decorator mode of a runtime's reports; adds the runtime's row to the table. */
async function recordRuntime(runtime, version, getReports) {
  let reports;
  let failure;
  const t0 = performance.now();
  try {
    reports = await getReports();
  } catch (error) {
    failure = error instanceof Error ? error.message : String(error);
  }
  const elapsed = performance.now() - t0;
  for (const { mode, label } of MODES) {
    const report = reports?.[mode];
    await check(
      `${runtime}: seed on both front ends, ${label}; timeout, retry, cancel, trace`,
      () => {
        if (report === undefined) throw new Error(failure ?? `no ${mode} report`);
        const failed = report.checks.filter((c) => !c.ok);
        if (failed.length > 0) throw new Error(failed.map((c) => `${c.name}: ${c.detail}`).join('\n'));
        return `${report.checks.length} checks; the runtime took ${seconds(elapsed)} for both modes`;
      },
      { timed: false },
    );
  }
  /** 'works' when the checks `pick` selects from the reports of `modes` were all made and all passed. */
  const cell = (modes, pick) => {
    const checks = modes.flatMap((mode) => reports?.[mode]?.checks.filter(pick) ?? []);
    return checks.length > 0 && checks.every((c) => c.ok) ? 'works' : 'fails';
  };
  const isClass = (c) => c.name === 'seed, class DSL';
  const report = reports?.legacy ?? reports?.tc39;
  rows.push({
    runtime,
    version,
    builder: cell(['legacy', 'tc39'], (c) => !isClass(c)),
    legacy: cell(['legacy'], isClass),
    tc39: cell(['tc39'], isClass),
    clock:
      report === undefined || !Number.isFinite(report.traceStep) ? '-' : report.subMillisecond ? 'sub-ms' : 'whole ms',
  });
}

const versionOf = (name) => JSON.parse(readFileSync(join(root, 'node_modules', name, 'package.json'), 'utf8')).version;

// ---------------------------------------------------------------------------------------------
// 2. The runtimes

console.log(`Running the built package in each runtime (work directory ${work})`);

await recordRuntime('Node', process.versions.node, async () => reportsOf(await run(process.execPath, ['main.mjs'])));

await recordRuntime('Bun', versionOf('bun'), async () =>
  reportsOf(await run(bin('bun'), ['main.mjs'], { env: { BUN_INSTALL_CACHE_DIR: join(work, 'bun-cache') } })),
);

await recordRuntime('Deno', versionOf('deno'), async () =>
  reportsOf(
    await run(bin('deno'), ['run', '--no-prompt', '--no-config', '--no-lock', 'main.mjs'], {
      env: { DENO_DIR: join(work, 'deno-dir'), DENO_NO_UPDATE_CHECK: '1', NO_COLOR: '1' },
    }),
  ),
);

for (const compat of [false, true]) {
  await recordRuntime(`workerd${compat ? ', nodejs_compat' : ''}`, versionOf('workerd'), async () => {
    const name = `workerd${compat ? '-compat' : ''}`;
    writeFileSync(
      join(work, `${name}-worker.mjs`),
      // workerd's test runner calls `test()`; a worker must not leave a timer behind.
      "import { runProbes } from './host.mjs';\n" +
        `export default { async test() { console.log(${JSON.stringify(PROBE_MARK)} + JSON.stringify(await runProbes())); } };\n`,
    );
    const modules = [
      `(name = "worker", esModule = embed "${name}-worker.mjs")`,
      '(name = "host.mjs", esModule = embed "host.mjs")',
      ...MODES.map(({ mode }) => `(name = "probe-${mode}.mjs", esModule = embed "probe-${mode}.mjs")`),
    ];
    writeFileSync(
      join(work, `${name}.capnp`),
      `using Workerd = import "/workerd/workerd.capnp";
const config :Workerd.Config = (
  services = [ (name = "main", worker = .worker) ],
);
const worker :Workerd.Worker = (
  modules = [ ${modules.join(',\n    ')} ],
  compatibilityDate = "2026-11-01",
  compatibilityFlags = [ ${compat ? '"nodejs_compat"' : ''} ],
);
`,
    );
    return reportsOf(await run(bin('workerd'), ['test', '--verbose', `${name}.capnp`]));
  });
}

const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const chromiumVersion = /[\d.]+/.exec((await run(chromiumPath, ['--version'])).stdout)?.[0] ?? '?';
await recordRuntime('Chromium, headless', chromiumVersion, () => inChromium());

/** Serves the probes from a made-up origin to Debian's chromium, and reads the reports back. */
async function inChromium() {
  const { chromium } = await import('playwright-core');
  const executablePath = chromiumPath;
  if (!existsSync(executablePath)) throw new Error(`${executablePath} is missing: apt-get install -y chromium`);
  const context = await chromium.launchPersistentContext(mkdtempSync(join(work, 'chromium-profile-')), {
    executablePath,
    headless: true,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  try {
    const page = context.pages()[0] ?? (await context.newPage());
    const errors = [];
    page.on('pageerror', (error) => errors.push(error.message));
    const origin = 'http://async-dag.test';
    await page.route(`${origin}/**`, (route) => {
      const path = new URL(route.request().url()).pathname.slice(1);
      if (path === '') {
        return route.fulfill({
          contentType: 'text/html',
          body: `<!doctype html><script type="module">import { runProbes } from './host.mjs';
runProbes().then((r) => { window.probeReports = r; }, (e) => { window.probeError = String(e && e.stack || e); });</script>`,
        });
      }
      const file = join(work, path);
      if (!/^[\w.-]+\.mjs$/.test(path) || !existsSync(file)) return route.fulfill({ status: 404, body: '' });
      return route.fulfill({ contentType: 'text/javascript', body: readFileSync(file, 'utf8') });
    });
    await page.goto(`${origin}/`);
    const handle = await page.waitForFunction(() => window.probeReports ?? window.probeError, undefined, {
      timeout: 30_000,
    });
    const value = await handle.jsonValue();
    if (typeof value === 'string') throw new Error(value);
    if (errors.length > 0) throw new Error(errors.join('\n'));
    return value;
  } finally {
    await context.close();
  }
}

// ---------------------------------------------------------------------------------------------
// 3. Temporal's workflow sandbox

/** Workflow time each activity of the recipe takes: the trace must show exactly these. */
const ACTIVITY_MS = { loadCustomer: 50, loadOrders: 200, scoreRisk: 100, writeReport: 30 };
const EXPECTED_TRACE = 'customer 0-50, orders 50-250, risk 50-150, report 250-280';
const EXPECTED_SCHEDULE = 'loadCustomer@0, loadOrders@50, scoreRisk@50, writeReport@250';
const EXPECTED_REPORT = 'Ada: 2 orders, 200 total, risk 0.3';

await esbuild.build({
  entryPoints: [join(root, 'examples', 'temporal-activities.ts')],
  outfile: join(work, 'temporal-activities.mjs'),
  bundle: true,
  format: 'esm',
  platform: 'node',
  logLevel: 'error',
});
const activities = { ...(await import(pathToFileURL(join(work, 'temporal-activities.mjs')).href)) };

const temporalCells = {};
const classWorkflow = join(root, 'spec', 'runtimes', 'temporal-workflows.ts');
// The class DSL loads reflect-metadata, which adds to the global `Reflect`: in the sandbox a
// Worker uses by default (one V8 context whose globals are frozen once it has started), that
// must happen before the freeze, which Temporal's `preloadModules` bundler option is for.
const preload = ['reflect-metadata'];
for (const [frontEnd, workflowsPath, workflowType, decorators, preloadModules] of [
  ['builder', join(root, 'examples', 'temporal-workflow.ts'), 'customerReport', undefined, []],
  ['class DSL (swc, legacy decorators)', classWorkflow, 'customerReportClass', 'legacy', preload],
  ['class DSL (swc, TC39 decorators)', classWorkflow, 'customerReportClass', 'tc39', preload],
]) {
  const note = await check(
    `Temporal workflow sandbox: the recipe with the ${frontEnd}; activities start as their dependencies resolve, trace in workflow time, two runs alike`,
    async () => {
      const runs = await runInWorkflowSandbox({
        decorators,
        preloadModules,
        workflowsPath,
        entry: join(root, 'dist', 'index.mjs'),
        workflowType,
        args: ['c-1'],
        activities,
        durations: ACTIVITY_MS,
      });
      const seen = runs.map(({ result, commands }) => ({
        report: result.report,
        trace: result.trace.map((n) => `${n.name} ${n.start}-${n.end}`).join(', '),
        schedule: commands.map((c) => `${c.schedule ?? `timer ${c.timer}`}@${c.at}`).join(', '),
      }));
      const [first, second] = seen;
      const problems = [];
      if (first.report !== EXPECTED_REPORT) problems.push(`report "${first.report}", expected "${EXPECTED_REPORT}"`);
      if (first.schedule !== EXPECTED_SCHEDULE)
        problems.push(`schedule ${first.schedule}, expected ${EXPECTED_SCHEDULE}`);
      if (first.trace !== EXPECTED_TRACE) problems.push(`trace ${first.trace}, expected ${EXPECTED_TRACE}`);
      if (JSON.stringify(first) !== JSON.stringify(second)) problems.push('two runs of one history differ');
      if (problems.length > 0) throw new Error(problems.join('\n'));
      const preloaded = preloadModules.length > 0 ? `; preloadModules: ${JSON.stringify(preloadModules)}` : '';
      return `${first.schedule}; ${runs[0].duration} ms of workflow time${preloaded}`;
    },
  );
  temporalCells[frontEnd] = note === undefined ? 'fails' : 'works';
}
await check(
  "Temporal workflow sandbox: a node's timeout is a workflow timer, and its retry another attempt",
  async () => {
    const [run] = await runInWorkflowSandbox({
      workflowsPath: classWorkflow,
      entry: join(root, 'dist', 'index.mjs'),
      workflowType: 'scoreWithDeadline',
      preloadModules: preload, // the file holds a class-DSL workflow too
      args: ['c-1'],
      activities,
      durations: { loadCustomer: 50, scoreRisk: 5_000 },
      runs: 1,
    });
    const schedule = run.commands.map((c) => `${c.schedule ?? `timer ${c.timer}`}@${c.at}`).join(', ');
    const expectedSchedule = 'loadCustomer@0, timer 1000@50, scoreRisk@50, timer 1000@1050, scoreRisk@1050';
    const expectedResult = JSON.stringify({ code: 'NODE_FAILED <- NODE_TIMEOUT', attempts: 2, at: 2050 });
    const problems = [];
    if (schedule !== expectedSchedule) problems.push(`commands ${schedule}, expected ${expectedSchedule}`);
    if (JSON.stringify(run.result) !== expectedResult) {
      problems.push(`result ${JSON.stringify(run.result)}, expected ${expectedResult}`);
    }
    if (problems.length > 0) throw new Error(problems.join('\n'));
    return `${schedule}; NodeFailedError(NodeTimeoutError) after 2 attempts, at 2050 ms of workflow time`;
  },
);

rows.push({
  runtime: "Temporal's workflow sandbox (no server; see below)",
  version: versionOf('@temporalio/worker'),
  builder: temporalCells.builder,
  legacy: `${temporalCells['class DSL (swc, legacy decorators)']} (preloading reflect-metadata)`,
  tc39: `${temporalCells['class DSL (swc, TC39 decorators)']} (preloading reflect-metadata)`,
  clock: 'workflow time (whole ms)',
});

// ---------------------------------------------------------------------------------------------
// 4. What a builder-only user pays

/** Texts of the class DSL's errors: in a bundle that uses the DSL, absent from one that does not. */
const DSL_MESSAGES = [
  'Expected a class that extends Dag or has @node/@immediate members',
  'An override of a node must be a method too.',
  'Use @node on a method, or @immediate for a value known at the start.',
  'Import async-dag before defining the class',
];
/** reflect-metadata's own code, and the library's definition of `Symbol.metadata`. */
const REFLECT_METADATA = /getOwnMetadataKeys/;
const SYMBOL_METADATA = /Symbol\.for\(["']Symbol\.metadata["']\)/;

/** A user's entry bundled, minified, as an application would ship it (the package's `sideEffects` honoured). */
async function userBundle(contents) {
  const built = await esbuild.build({
    stdin: { contents, resolveDir: root, loader: 'js' },
    bundle: true,
    minify: true,
    write: false,
    format: 'esm',
    platform: 'neutral',
    mainFields: ['module', 'main'],
    logLevel: 'error',
    plugins: [useDist],
  });
  const text = built.outputFiles[0].text;
  return { text, minified: text.length, gzipped: gzipSync(text).length };
}
const kB = (bytes) => `${(bytes / 1024).toFixed(1)} kB`;

const sizes = {
  builder: await userBundle("import { buildDag } from 'async-dag';\nglobalThis.use = buildDag;\n"),
  builderAndGraphOf: await userBundle(
    "import { buildDag, graphOf } from 'async-dag';\nglobalThis.use = [buildDag, graphOf];\n",
  ),
  classDsl: await userBundle(
    "import { Dag, node, immediate } from 'async-dag';\nglobalThis.use = [Dag, node, immediate];\n",
  ),
  everything: await userBundle("import * as all from 'async-dag';\nglobalThis.use = all;\n"),
};

await check('a bundle of `import { buildDag }` (and graphOf) holds no class-DSL code and no reflect-metadata', () => {
  const problems = [];
  for (const key of ['builder', 'builderAndGraphOf']) {
    const { text } = sizes[key];
    const found = DSL_MESSAGES.filter((m) => text.includes(m));
    if (found.length > 0) problems.push(`${key}: holds DSL messages: ${found.join(' | ')}`);
    if (REFLECT_METADATA.test(text)) problems.push(`${key}: holds reflect-metadata`);
    if (SYMBOL_METADATA.test(text)) problems.push(`${key}: defines Symbol.metadata`);
  }
  if (problems.length > 0) throw new Error(problems.join('\n'));
  return `${kB(sizes.builder.gzipped)} min+gz, ${kB(sizes.builderAndGraphOf.gzipped)} with graphOf`;
});

await check('a bundle of the class DSL holds its messages, reflect-metadata and the Symbol.metadata definition', () => {
  const { text } = sizes.classDsl;
  const missing = DSL_MESSAGES.filter((m) => !text.includes(m));
  if (missing.length > 0)
    throw new Error(`DSL messages missing (the check above would prove nothing): ${missing.join(' | ')}`);
  if (!REFLECT_METADATA.test(text)) throw new Error('reflect-metadata is missing: legacy decorators would lack it');
  if (!SYMBOL_METADATA.test(text))
    throw new Error('the Symbol.metadata definition is missing: TC39 decorators would lack it');
  return `${kB(sizes.classDsl.gzipped)} min+gz`;
});

const sizeTable = [
  '| what the application imports | minified | minified + gzipped |',
  '|---|---|---|',
  ...[
    ['`buildDag`', sizes.builder],
    ['`buildDag`, `graphOf`', sizes.builderAndGraphOf],
    ['`Dag`, `node`, `immediate` (class DSL)', sizes.classDsl],
    ['everything (`import * as all`)', sizes.everything],
  ].map(([what, size]) => `| ${what} | ${kB(size.minified)} | ${kB(size.gzipped)} |`),
].join('\n');

// ---------------------------------------------------------------------------------------------
// The table

const table = [
  '| runtime | version | builder | class DSL, legacy decorators | class DSL, TC39 decorators | trace times |',
  '|---|---|---|---|---|---|',
  ...rows.map((r) => `| ${r.runtime} | ${r.version} | ${r.builder} | ${r.legacy} | ${r.tc39} | ${r.clock} |`),
].join('\n');
console.log(`\n${table}\n\n${sizeTable}`);

// docs/where-it-runs.md shows what this run measured: `--write-docs` writes it there; otherwise
// the page's table must agree with this run on every cell but the versions (CI's may differ).
const docsPage = join(root, 'docs', 'where-it-runs.md');
const region = (name) =>
  new RegExp(`(<!-- runtimes:${name}:start[^>]*-->\\n)[\\s\\S]*?(<!-- runtimes:${name}:end -->)`);
const withoutVersions = (text) =>
  text
    .split('\n')
    .filter((line) => line.startsWith('|'))
    .map((line) =>
      line
        .split('|')
        .filter((_cell, i) => i !== 2)
        .join('|'),
    )
    .join('\n');
if (process.argv.includes('--write-docs')) {
  let page = readFileSync(docsPage, 'utf8');
  for (const [name, text] of [
    ['table', table],
    ['sizes', sizeTable],
  ]) {
    if (!region(name).test(page)) throw new Error(`docs/where-it-runs.md has no runtimes:${name} region`);
    page = page.replace(region(name), (_all, start, end) => `${start}${text}\n${end}`);
  }
  writeFileSync(docsPage, page);
  console.log('\nwrote the table and the sizes into docs/where-it-runs.md');
} else {
  await check("docs/where-it-runs.md's table says what this run measured (versions aside)", () => {
    const shown = region('table').exec(readFileSync(docsPage, 'utf8'));
    if (shown === null) throw new Error('docs/where-it-runs.md has no runtimes:table region');
    if (withoutVersions(shown[0]) !== withoutVersions(table)) {
      throw new Error('the page differs from this run: `npm run test:runtimes -- --write-docs` writes it');
    }
  });
}

const failed = results.filter((r) => !r.ok).length;
if (failed === 0 && !process.env.KEEP_RUNTIMES_WORK) rmSync(work, { recursive: true, force: true });
else console.log(`\nThe bundles and configurations are kept in ${work}`);
console.log(`\nruntime check took ${seconds(performance.now() - started)}`);
console.log(`runtime checks — ${results.length - failed} passed, ${failed} failed`);
mkdirSync(join(root, '.tmp'), { recursive: true });
writeFileSync(
  join(root, '.tmp', 'runtime-results.json'),
  JSON.stringify({ passed: results.length - failed, failed, table, sizeTable }, null, 2) + '\n',
);
process.exitCode = failed > 0 ? 1 : 0;
