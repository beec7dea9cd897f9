/**
 * `npm run bench -- --only=tricks`: each non-obvious trick of the engine against the same engine
 * without it, on the same workloads.
 *
 * The library's sources are bundled with esbuild once as they are ("with") and once per trick
 * with that trick replaced by the plain code it stands for ("without"); a replacement that no
 * longer matches the sources exactly once fails the bench, so a case cannot silently measure
 * nothing. All variants are bundled the same way (CommonJS, one file), so they differ only in
 * the trick. A trick that gains under 5% on every case is to be replaced by its plain code.
 *
 * Gone that way: one shared promise executor for every run (instead of a closure per run),
 * measured at -11%, +0.1% and -0.5% on the seed graph in three runs.
 */
import { mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { build, type Plugin } from 'esbuild';
import { measure, type Summary } from './measure';
import { randomDag, type RandomDag } from './random-dag';

type AsyncDag = typeof import('async-dag');

/** One source edit: in `file` (under lib/), `find` (a string or a global RegExp) becomes `replace`. */
interface Edit {
  readonly file: string;
  readonly find: string | RegExp;
  readonly replace: string;
  /** How many matches the edit expects (default 1). */
  readonly count?: number;
}

interface Trick {
  readonly key: string;
  readonly title: string;
  /** The engine without the trick: the plain code the trick replaces. */
  readonly without: readonly Edit[];
  /** The workloads that show what the trick is for. */
  readonly cases: readonly string[];
}

const TRICKS: readonly Trick[] = [
  {
    key: 'control',
    title: 'no trick: the same sources bundled twice, so the gap between "with" and "without" here is the noise',
    without: [],
    cases: ['seed', 'wide', 'n10000'],
  },
  {
    key: 'ctx',
    title: "ctx made only for bodies that can see it (graph/sees-argument.ts reads a function's source)",
    // Without it: every node body gets a `ctx`, as the contract allows.
    without: [
      {
        file: 'graph/graph.ts',
        find: "kinds[i] === 'node' && seesArgument(runs[i]!, deps[i]!.length + 1)",
        replace: "kinds[i] === 'node' && (seesArgument, true)",
      },
    ],
    cases: ['seed', 'wide'],
  },
  {
    key: 'turn-clock',
    title: 'one clock reading per event-loop turn for quick graphs (run/clock.ts turnNow)',
    without: [
      { file: 'run/engine.ts', find: 'this.#turnClock = graph.learning.quick;', replace: 'this.#turnClock = false;' },
    ],
    cases: ['seed', 'wide'],
  },
  {
    key: 'call',
    title: '`call` bound to Function.prototype.call instead of `fn.call(...)` (engine.ts)',
    without: [
      { file: 'run/engine.ts', find: /\bcall\(run, self, /g, replace: 'run.call(self, ', count: 4 },
      {
        file: 'run/engine.ts',
        find: 'call(runs[i]!, this.self, this.params)',
        replace: 'runs[i]!.call(this.self, this.params)',
      },
    ],
    cases: ['seed', 'shapes'],
  },
  {
    key: 'rows',
    title: 'per-run rows merged into two arrays up to 5,000 nodes (engine.ts ROWS_IN_ONE_ARRAY_UP_TO)',
    // Without it: one array per row at every size (the threshold's other side is the 'rows-merged' variant).
    without: [
      {
        file: 'run/engine.ts',
        find: 'const ROWS_IN_ONE_ARRAY_UP_TO = 5_000;',
        replace: 'const ROWS_IN_ONE_ARRAY_UP_TO = 0;',
      },
    ],
    cases: ['seed', 'n1000', 'n5000', 'n10000'],
  },
  {
    key: 'rows-merged',
    title: 'the 5,000-node threshold itself: rows merged at every size instead',
    without: [
      {
        file: 'run/engine.ts',
        find: 'const ROWS_IN_ONE_ARRAY_UP_TO = 5_000;',
        replace: 'const ROWS_IN_ONE_ARRAY_UP_TO = Infinity;',
      },
    ],
    cases: ['n10000', 'n20000'],
  },
];

const root = path.join(__dirname, '..');
const outDir = path.join(root, '.tmp', 'bench-tricks');

function applyEdits(file: string, source: string, edits: readonly Edit[]): string {
  let out = source;
  for (const edit of edits) {
    if (path.join(root, 'lib', edit.file) !== file) continue;
    const expected = edit.count ?? 1;
    const found = typeof edit.find === 'string' ? out.split(edit.find).length - 1 : (out.match(edit.find) ?? []).length;
    if (found !== expected) {
      throw new Error(
        `bench/tricks.ts: lib/${edit.file} has ${found} match(es) of ${String(edit.find)}, expected ${expected}; update the trick's edit to the current sources`,
      );
    }
    out =
      typeof edit.find === 'string' ? out.split(edit.find).join(edit.replace) : out.replace(edit.find, edit.replace);
  }
  return out;
}

/** Bundles lib/index.ts with `edits` applied, and loads that copy of the library. */
async function variant(name: string, edits: readonly Edit[]): Promise<AsyncDag> {
  const touched = new Set(edits.map((e) => path.join(root, 'lib', e.file)));
  const seen = new Set<string>();
  const plugin: Plugin = {
    name: 'trick-edits',
    setup(b) {
      b.onLoad({ filter: /[\\/]lib[\\/].*\.ts$/ }, (args) => {
        if (!touched.has(args.path)) return undefined;
        seen.add(args.path);
        return { contents: applyEdits(args.path, readFileSync(args.path, 'utf8'), edits), loader: 'ts' };
      });
    },
  };
  mkdirSync(outDir, { recursive: true });
  const outfile = path.join(outDir, `${name}.cjs`);
  await build({
    entryPoints: [path.join(root, 'lib', 'index.ts')],
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    outfile,
    tsconfig: path.join(root, 'tsconfig.build.json'),
    plugins: [plugin],
    logLevel: 'error',
  });
  for (const file of touched)
    if (!seen.has(file)) throw new Error(`bench/tricks.ts: ${file} is not part of the bundle`);
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- a fresh copy of the library per variant, loaded by path
  return require(outfile) as AsyncDag;
}

const inc = async (n: number): Promise<number> => n + 1;
const add = async (a: number, b: number): Promise<number> => a + b;

/** Node bodies of many shapes, as real flows have: arrows, functions, methods, bound and class methods. */
function bodyShapes(): ((...args: number[]) => unknown)[] {
  class Service {
    constructor(readonly k: number) {}
    async method(...values: number[]): Promise<number> {
      return values.length + this.k;
    }
  }
  const object = {
    async shorthand(...values: number[]) {
      return values.length;
    },
  };
  const shapes: ((...args: number[]) => unknown)[] = [
    async (...values: number[]) => values.length,
    (...values: number[]) => values.length,
    async function named(...values: number[]) {
      return values.length;
    },
    object.shorthand,
    new Service(1).method.bind(new Service(2)),
  ];
  for (let k = 0; k < 4; k++) {
    const service = new Service(k);
    shapes.push((...values: number[]) => service.method(...values));
  }
  return shapes;
}

type Workload = (lib: AsyncDag) => { readonly run: () => Promise<unknown>; readonly batch: number };

function graphOfRandom(lib: AsyncDag, dag: RandomDag, bodyFor: (i: number) => (...args: number[]) => unknown) {
  return lib.buildDag((tm) => {
    const nodes: ReturnType<typeof tm.addNode>[] = [];
    for (let i = 0; i < dag.size; i++) {
      const deps = dag.deps[i]!.map((d) => nodes[d]!);
      nodes.push(tm.addNode(bodyFor(i) as (...args: unknown[]) => unknown, ...deps));
    }
  });
}

const WORKLOADS: Record<string, { readonly title: string; readonly make: Workload }> = {
  seed: {
    title: 'seed graph (6 async nodes), one invocation',
    make: (lib) => {
      const dag = lib.buildDag<number>((tm) => {
        const fastA = tm.addNode(inc);
        const slowB = tm.addNode(inc, fastA);
        const slowA = tm.addNode(inc);
        const fastB = tm.addNode(inc);
        const fastC = tm.addNode(add, slowA, fastB);
        tm.addNode(add, fastC, slowB);
      });
      return { run: () => dag.invoke(1), batch: 2_000 };
    },
  },
  wide: {
    title: '200 async nodes, random DAG, one invocation',
    make: (lib) => {
      const dag = graphOfRandom(lib, randomDag({ size: 200, seed: 7, maxDeps: 2 }), () => inc as never);
      return { run: () => dag.invoke(undefined), batch: 100 };
    },
  },
  shapes: {
    title: '200 nodes of 9 function shapes, one invocation',
    make: (lib) => {
      const shapes = bodyShapes();
      const dag = graphOfRandom(lib, randomDag({ size: 200, seed: 7, maxDeps: 2 }), (i) => shapes[i % shapes.length]!);
      return { run: () => dag.invoke(undefined), batch: 100 };
    },
  },
  ...Object.fromEntries(
    [1_000, 5_000, 10_000, 20_000].map((size) => [
      `n${size}`,
      {
        title: `${size.toLocaleString('en-US')}-node random DAG, one invocation`,
        make: ((lib) => {
          const dag = graphOfRandom(lib, randomDag({ size, seed: 42, maxDeps: 3 }), () => inc as never);
          return { run: () => dag.invoke(undefined), batch: Math.max(1, Math.round(20_000 / size)) };
        }) satisfies Workload,
      },
    ]),
  ),
};

export interface TrickFigure {
  readonly trick: string;
  readonly workload: string;
  readonly withTrick: Summary;
  readonly withoutTrick: Summary;
  /** (without − with) / without: the share of the time the trick saves. */
  readonly gain: number;
  readonly cpuGain: number;
}

/** Measures every trick on its cases; `rounds` timed rounds per case. */
export async function measureTricks(options: {
  readonly rounds: number;
  readonly warmup: number;
  readonly settleMs: number;
  readonly sampleMs: number;
  readonly only?: readonly string[];
  readonly log: (line: string) => void;
}): Promise<TrickFigure[]> {
  const withTricks = await variant('with', []);
  const figures: TrickFigure[] = [];
  for (const trick of TRICKS) {
    if (options.only !== undefined && !options.only.includes(trick.key)) continue;
    const withoutTricks = await variant(`without-${trick.key}`, trick.without);
    for (const key of trick.cases) {
      const workload = WORKLOADS[key]!;
      const a = workload.make(withTricks);
      const b = workload.make(withoutTricks);
      options.log(`  ${trick.key}: ${workload.title} ...`);
      const [withTrick, withoutTrick] = await measure(
        [
          { name: 'with', run: a.run },
          { name: 'without', run: b.run },
        ],
        {
          rounds: options.rounds,
          warmup: options.warmup,
          batch: a.batch,
          settleMs: options.settleMs,
          sampleMs: options.sampleMs,
        },
      );
      figures.push({
        trick: trick.key,
        workload: workload.title,
        withTrick: withTrick!,
        withoutTrick: withoutTrick!,
        gain: 1 - withTrick!.median / withoutTrick!.median,
        cpuGain: 1 - withTrick!.cpuMedian / withoutTrick!.cpuMedian,
      });
    }
  }
  return figures;
}

const us = (ms: number): string => `${(ms * 1000).toFixed(ms < 0.01 ? 2 : 1)} µs`;
const pct = (x: number): string => `${x >= 0 ? '+' : ''}${(x * 100).toFixed(1)}%`;

/** The figures as a markdown table, with each trick's title. */
export function tricksTable(figures: readonly TrickFigure[]): string {
  const lines = [
    '| Trick | Case | With | Without | Gain (wall) | Gain (CPU) |',
    '| --- | --- | --- | --- | --- | --- |',
    ...figures.map(
      (f) =>
        `| ${f.trick} | ${f.workload} | ${us(f.withTrick.median)} | ${us(f.withoutTrick.median)} | ${pct(f.gain)} | ${pct(f.cpuGain)} |`,
    ),
    '',
    ...TRICKS.map((t) => `- **${t.key}**: ${t.title}.`),
    '- Gain: the share of the time without the trick that the trick saves (median per operation).',
  ];
  return lines.join('\n');
}
