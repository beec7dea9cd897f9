/**
 * `npm run bench` (`node --expose-gc --import tsx bench/run.ts`): async-dag against a hand-wired
 * `Promise.all` graph, p-graph, graph-run and async.auto, in one process, round by round.
 * Prints markdown tables and writes them into docs/benchmarks.md.
 *
 *   --quick     small sizes and few rounds (about 20 s); prints, does not write the docs
 *   --write     write docs/benchmarks.md even with --quick
 *   --no-write  do not write docs/benchmarks.md
 *   --only=invoke,build,seed,memory,schedule,observer,workers,tricks
 *               run only these sections (and do not write the docs)
 */
import { writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { DagObserver } from 'async-dag';
import { classDsl, classDslInvoke } from './class-dsl-contender';
import {
  asyncAutoInvoke,
  asyncDagBuilderInvoke,
  graphRunInvoke,
  noop,
  pGraphInvoke,
  promiseAllInvoke,
  type Body,
} from './dag-contenders';
import { canForceGc, measure, type Contender, type Summary } from './measure';
import { measureMemory, type MemoryFigures } from './memory';
import { randomDag, type RandomDag } from './random-dag';
import { bytes, machineInfo, ms, ratio, table, us, verdict, type MachineInfo } from './report';
import { SCHEDULERS, scheduleQuality } from './schedule-quality';
import { handWritten, seedWithBuilder, seedWithClassDsl } from './seed-graph';
import { workersSection } from './workers-bench';
import { measureTricks, tricksTable } from './tricks';

interface Settings {
  readonly label: string;
  readonly bigSize: number;
  readonly bigRounds: number;
  /**
   * Each sample of an invocation: untimed invocations for `settleMs` after the forced gc (see
   * `measure.ts`), then timed ones for `sampleMs`, at least one of each.
   */
  readonly settleMs: number;
  readonly sampleMs: number;
  readonly autoSize: number;
  /** Rounds of the slow contenders (graph-run, async.auto), each against the baseline again. */
  readonly slowRounds: number;
  /** Measure graph-run on the big graph (else on the small one, with async.auto). */
  readonly graphRunBig: boolean;
  readonly seedInvocations: number;
  readonly seedRounds: number;
  readonly memorySize: number;
  readonly memoryBaseline: boolean;
  readonly scheduleGraphs: number;
  readonly scheduleSize: number;
  readonly observerRounds: number;
  readonly namedBuildSize: number;
  readonly warmup: number;
  /** The workers section: the chain of the per-node case, and rounds of each case. */
  readonly workersChain: 50 | 200;
  readonly workersRounds: number;
}

const FULL: Settings = {
  label: 'full run',
  bigSize: 10_000,
  bigRounds: 25,
  settleMs: 40,
  sampleMs: 40,
  autoSize: 2_000,
  slowRounds: 7,
  graphRunBig: true,
  seedInvocations: 20_000,
  seedRounds: 12,
  memorySize: 1_000_000,
  memoryBaseline: true,
  scheduleGraphs: 3,
  scheduleSize: 80,
  observerRounds: 30,
  namedBuildSize: 10_000,
  warmup: 3,
  workersChain: 200,
  workersRounds: 5,
};

const QUICK: Settings = {
  label: '--quick',
  bigSize: 10_000,
  bigRounds: 4,
  settleMs: 15,
  sampleMs: 15,
  autoSize: 2_000,
  slowRounds: 2,
  graphRunBig: false,
  seedInvocations: 5_000,
  seedRounds: 3,
  memorySize: 50_000,
  memoryBaseline: false,
  scheduleGraphs: 1,
  scheduleSize: 40,
  observerRounds: 6,
  namedBuildSize: 2_000,
  warmup: 1,
  workersChain: 50,
  workersRounds: 2,
};

const log = (line = '') => process.stdout.write(`${line}\n`);

/** What the checking body computes for a node: 1 + the sum of its dependencies' values, kept small. */
const MODULUS = 1_000_003;

/** The sum over all nodes of what the checking body returns, computed directly. */
function expectedChecksum(dag: RandomDag): number {
  const values: number[] = [];
  let checksum = 0;
  for (let i = 0; i < dag.size; i++) {
    let sum = 1;
    for (const d of dag.deps[i]!) sum += values[d]!;
    values.push(sum % MODULUS);
    checksum += sum % MODULUS;
  }
  return checksum;
}

/**
 * Runs `invoke` once with a checking body, which must run once per node and receive its
 * dependencies' values: each body returns 1 + the sum of the numbers it is given, and the sum
 * of everything returned must match the same sum computed directly.
 */
async function checkRunsEveryNode(name: string, dag: RandomDag, make: (body: Body) => Promise<() => Promise<unknown>>) {
  let calls = 0;
  let checksum = 0;
  const checking: Body = [
    async (...args: unknown[]) => {
      calls++;
      let sum = 1;
      for (const arg of args) if (typeof arg === 'number') sum += arg;
      checksum += sum % MODULUS;
      return sum % MODULUS;
    },
  ][0]!;
  const invoke = await make(checking);
  await invoke();
  if (calls !== dag.size) throw new Error(`${name} ran ${calls} node bodies for a ${dag.size}-node graph`);
  if (checksum !== expectedChecksum(dag)) throw new Error(`${name} did not hand each node its dependencies' values`);
}

interface Row {
  readonly summary: Summary;
  readonly size: number;
  readonly baseline: Summary;
}

function invokeTable(rows: readonly Row[]): string {
  return table(
    [
      'Implementation',
      'Nodes',
      'Median per invocation',
      'p25 – p75',
      'vs Promise.all',
      'CPU time',
      'CPU vs Promise.all',
    ],
    rows.map(({ summary, size, baseline }) => [
      summary.name,
      size.toLocaleString('en-US'),
      ms(summary.median),
      `${ms(summary.p25)} – ${ms(summary.p75)}`,
      ratio(summary.median / baseline.median),
      ms(summary.cpuMedian),
      ratio(summary.cpuMedian / baseline.cpuMedian),
    ]),
  );
}

/** `1.10x wall, 1.05x CPU` for `a` against `b`. */
function ratios(a: Summary, b: Summary): string {
  return `${ratio(a.median / b.median)} wall-clock, ${ratio(a.cpuMedian / b.cpuMedian)} CPU`;
}

/** Whether `a / b <= limit`, judged on wall-clock and on CPU time. */
function atMost(a: Summary, b: Summary, limit: number): string {
  return `wall-clock ${verdict(a.median <= limit * b.median)}, CPU ${verdict(a.cpuMedian <= limit * b.cpuMedian)}`;
}

function find(summaries: readonly Summary[], name: string): Summary {
  const found = summaries.find((s) => s.name === name);
  if (found === undefined) throw new Error(`no figures for ${name}`);
  return found;
}

const BASELINE = 'Promise.all (hand-wired)';
const BUILDER = 'async-dag (builder)';
const CLASS_DSL = 'async-dag (class DSL)';

/** 1. Invoking a prebuilt random DAG. */
async function invokeSection(settings: Settings): Promise<string> {
  const dsl = classDsl();
  const dag = randomDag({ size: settings.bigSize, seed: 42, maxDeps: 3 });
  type Maker = [string, (body: Body) => Promise<() => Promise<unknown>>];
  const prepare = async (graph: RandomDag, makers: readonly Maker[]): Promise<Contender[]> => {
    const contenders: Contender[] = [];
    for (const [name, make] of makers) {
      await checkRunsEveryNode(name, graph, make);
      contenders.push({ name, run: await make(noop) });
    }
    log(`  ${graph.size.toLocaleString('en-US')} nodes: ${contenders.map((c) => c.name).join(', ')} ...`);
    return contenders;
  };
  const main = await prepare(dag, [
    [BASELINE, async (body) => promiseAllInvoke(dag, body)],
    [BUILDER, async (body) => asyncDagBuilderInvoke(dag, body)],
    ...(dsl === undefined ? [] : [[CLASS_DSL, async (body: Body) => classDslInvoke(dag, body, dsl)] as Maker]),
    ['p-graph 2', async (body) => pGraphInvoke(dag, body)],
  ]);
  const sampling = { settleMs: settings.settleMs, sampleMs: settings.sampleMs };
  const big = await measure(main, { rounds: settings.bigRounds, warmup: settings.warmup, ...sampling });
  // graph-run takes 20 to 50 times as long as the others: fewer rounds, against the baseline again.
  const slowFigures = settings.graphRunBig
    ? await measure(
        await prepare(dag, [
          [BASELINE, async (body) => promiseAllInvoke(dag, body)],
          ['graph-run 1', (body) => graphRunInvoke(dag, body)],
        ]),
        { rounds: settings.slowRounds, warmup: 1, ...sampling },
      )
    : [];

  const small = randomDag({ size: settings.autoSize, seed: 42, maxDeps: 3 });
  const smallContenders = await prepare(small, [
    [BASELINE, async (body) => promiseAllInvoke(small, body)],
    [BUILDER, async (body) => asyncDagBuilderInvoke(small, body)],
    ['async.auto 3', async (body) => asyncAutoInvoke(small, body)],
    ...(settings.graphRunBig ? [] : [['graph-run 1', (body: Body) => graphRunInvoke(small, body)] as Maker]),
  ]);
  const little = await measure(smallContenders, { rounds: settings.slowRounds, warmup: 1, ...sampling });

  const baseline = find(big, BASELINE);
  const builder = find(big, BUILDER);
  const pGraph = find(big, 'p-graph 2');
  const rows: Row[] = [
    ...big.map((summary) => ({ summary, size: dag.size, baseline })),
    ...slowFigures.map((summary) => ({
      summary: summary.name === BASELINE ? { ...summary, name: `${BASELINE}, in the rounds of graph-run` } : summary,
      size: dag.size,
      baseline: find(slowFigures, BASELINE),
    })),
    ...little.map((summary) => ({ summary, size: small.size, baseline: find(little, BASELINE) })),
  ];
  const lines = [
    invokeTable(rows),
    '',
    `- async-dag (builder) vs Promise.all: ${ratios(builder, baseline)} (target <= 1.0x: ${atMost(builder, baseline, 1)}).`,
    `- async-dag (builder) vs p-graph: ${ratios(pGraph, builder)} faster (target >= 3x: ${atMost(builder, pGraph, 1 / 3)}).`,
  ];
  if (dsl === undefined) {
    lines.push('- async-dag (class DSL): not measured, `async-dag` does not export `Dag` and `node` in this tree.');
  } else {
    const classDag = find(big, CLASS_DSL);
    lines.push(`- async-dag (class DSL) vs builder: ${ratios(classDag, builder)} (target: the same cost, ~1.0x).`);
  }
  return lines.join('\n');
}

/** Building the graphs: the naming of nodes that share one function name is the slow part. */
async function buildSection(settings: Settings): Promise<string> {
  const dag = randomDag({ size: settings.bigSize, seed: 42, maxDeps: 3 });
  const named = randomDag({ size: settings.namedBuildSize, seed: 42, maxDeps: 3 });
  const noopNamed: Body = async function noopNamed() {
    return 0;
  };
  const dsl = classDsl();
  const time = (run: () => unknown): number => {
    const t0 = performance.now();
    run();
    return performance.now() - t0;
  };
  const median3 = (run: () => unknown): number => [time(run), time(run), time(run)].sort((a, b) => a - b)[1]!;
  const rows: string[][] = [
    [
      'async-dag builder, anonymous body (names `node_<i>`)',
      dag.size.toLocaleString('en-US'),
      ms(median3(() => asyncDagBuilderInvoke(dag))),
    ],
    [
      'async-dag builder, one named function for every node (`noopNamed`, `noopNamed_2`, ...)',
      named.size.toLocaleString('en-US'),
      ms(time(() => asyncDagBuilderInvoke(named, noopNamed))),
    ],
  ];
  if (dsl !== undefined) {
    rows.push([
      'async-dag class DSL (define the class, first `new`)',
      dag.size.toLocaleString('en-US'),
      ms(median3(() => classDslInvoke(dag, noop, dsl))),
    ]);
  }
  rows.push(['p-graph 2 (`new PGraph`)', dag.size.toLocaleString('en-US'), ms(median3(() => pGraphInvoke(dag)))]);
  return table(['Graph built once', 'Nodes', 'Time'], rows);
}

/** 2. The seed's six-node example, many times over. */
async function seedSection(settings: Settings): Promise<string> {
  const dsl = classDsl();
  const builder = seedWithBuilder();
  const classFlow = dsl === undefined ? undefined : seedWithClassDsl(dsl);
  for (const [name, run] of [
    ['hand-written', handWritten],
    ['builder', builder],
    ['class DSL', classFlow],
  ] as const) {
    if (run !== undefined && (await run(0)) !== 4) throw new Error(`the seed graph (${name}) did not compute 4`);
  }
  const n = settings.seedInvocations;
  const contenders: Contender[] = [
    { name: 'hand-written async function', run: () => handWritten(1) },
    { name: BUILDER, run: () => builder(1) },
    ...(classFlow === undefined ? [] : [{ name: CLASS_DSL, run: () => classFlow(1) }]),
  ];
  const header = [
    'Implementation',
    `${n.toLocaleString('en-US')} invocations`,
    'Per invocation',
    'p25 – p75',
    'vs hand-written',
    'CPU per invocation',
    'CPU vs hand-written',
  ];
  const lines: string[] = [];
  // Two regimes: after a forced full gc (as every other section is measured), and in a steady
  // loop with no forced gc, as a hot loop in a server runs. After a forced gc, async-dag's first
  // scavenges pause for milliseconds with almost nothing to copy (seen with --trace-gc-nvp), so
  // the first regime is the harsher and the noisier one.
  for (const forceGc of [true, false]) {
    log(
      `  ${n.toLocaleString('en-US')} sequential invocations per sample, ${forceGc ? 'after a forced gc' : 'steady loop'} ...`,
    );
    // Small invocations take long to reach their optimised code: three warm-up rounds.
    const perInvocation = await measure(contenders, {
      rounds: settings.seedRounds,
      warmup: 3,
      batch: n,
      settleMs: settings.settleMs,
      forceGc,
    });
    const figures = perInvocation.map((s) => ({
      ...s,
      median: s.median * n,
      p25: s.p25 * n,
      p75: s.p75 * n,
      cpuMedian: s.cpuMedian * n,
    }));
    const base = figures[0]!;
    const rows = figures.map((s) => [
      s.name,
      ms(s.median),
      us(s.median / n),
      `${ms(s.p25)} – ${ms(s.p75)}`,
      ratio(s.median / base.median),
      us(s.cpuMedian / n),
      ratio(s.cpuMedian / base.cpuMedian),
    ]);
    const builderFigures = find(figures, BUILDER);
    const regime = forceGc ? 'Each sample after a forced full gc' : 'Steady loop, no forced gc';
    lines.push(
      `${regime}:`,
      '',
      table(header, rows),
      '',
      `- ${regime.toLowerCase()}: async-dag (builder) vs hand-written: ${ratios(builderFigures, base)} (target <= 1.5x: ${atMost(builderFigures, base, 1.5)}).`,
      '',
    );
  }
  return lines.join('\n').trimEnd();
}

/** 3. A million nodes: memory and time. */
async function memorySection(settings: Settings): Promise<string> {
  const cases: MemoryFigures[] = [];
  for (const shape of ['chain', 'fan-out'] as const) {
    for (const implementation of settings.memoryBaseline
      ? (['async-dag', 'Promise.all'] as const)
      : (['async-dag'] as const)) {
      log(`  ${shape}, ${implementation}, ${settings.memorySize.toLocaleString('en-US')} nodes ...`);
      cases.push(await measureMemory(shape, implementation, settings.memorySize));
    }
  }
  const comparisons: string[] = [];
  for (const shape of ['chain', 'fan-out'] as const) {
    const mine = cases.find((c) => c.shape === shape && c.implementation === 'async-dag');
    const theirs = cases.find((c) => c.shape === shape && c.implementation === 'Promise.all');
    if (mine === undefined || theirs === undefined) continue;
    if (comparisons.length === 0) comparisons.push('');
    comparisons.push(
      `- ${shape}: async-dag's invocation takes ${ratio(mine.invokeMs / theirs.invokeMs)} the time of the Promise.all wiring ` +
        `and ${ratio(mine.peakRssMb / theirs.peakRssMb)} its peak RSS; building the graph takes ${ratio(mine.buildMs / theirs.buildMs)} ` +
        'the time of making its dependency lists.',
    );
  }
  return [
    table(
      [
        'Shape',
        'Implementation',
        'Nodes',
        'Build',
        'Invoke',
        'Graph, per node',
        'Result, per node',
        'Peak RSS',
        'Peak, per node',
      ],
      cases.map((c) => [
        c.shape,
        c.implementation,
        c.size.toLocaleString('en-US'),
        ms(c.buildMs),
        ms(c.invokeMs),
        bytes(c.graphBytesPerNode),
        bytes(c.resultBytesPerNode),
        `${Math.round(c.peakRssMb)} MB`,
        bytes(c.peakBytesPerNode),
      ]),
    ),
    '',
    '"Graph" is the memory the built graph retains (for Promise.all: its dependency lists); "Result" is',
    "what one invocation's result retains; both are deltas of `heapUsed + external` (typed arrays keep",
    'their data outside the JS heap) after a forced gc, each case in a fresh process. "Invoke" includes',
    'the wiring for Promise.all. "Peak, per node" is (peak RSS - RSS before building) / nodes. Every',
    'case completed: no stack overflow at any depth.',
    ...comparisons,
  ].join('\n');
}

/** 4. Schedule quality with a concurrency limit. */
async function scheduleSection(settings: Settings): Promise<string> {
  log(`  ${settings.scheduleGraphs} graph(s) of ${settings.scheduleSize} nodes, concurrency 2 and 4 ...`);
  const rows = await scheduleQuality({
    graphs: settings.scheduleGraphs,
    size: settings.scheduleSize,
    concurrencies: [2, 4],
    learningRuns: 2,
  });
  const cells = rows.map((row) => [
    row.graph,
    String(row.concurrency),
    ms(row.lowerBound),
    ...SCHEDULERS.map((s) => `${ms(row.makespans[s]!)} (${ratio(row.makespans[s]! / row.lowerBound)})`),
  ]);
  const geomean = (concurrency: number, scheduler: string): number => {
    const mine = rows.filter((r) => r.concurrency === concurrency);
    return Math.exp(mine.reduce((sum, r) => sum + Math.log(r.makespans[scheduler]! / r.lowerBound), 0) / mine.length);
  };
  const summary = [2, 4].map((c) => [
    `geometric mean, concurrency ${c}`,
    '',
    '',
    ...SCHEDULERS.map((s) => ratio(geomean(c, s))),
  ]);
  return [
    table(['Graph', 'Concurrency', 'Lower bound', ...SCHEDULERS], [...cells, ...summary]),
    '',
    'Makespan (and its ratio to the lower bound max(critical path, total work / concurrency); 1.00x is',
    'a perfect schedule, and timers add about 1 ms per node on the critical path). Node durations are',
    'seeded, 2–40 ms; each node depends on up to 3 of the 12 nodes before it.',
  ].join('\n');
}

/** 5. What an observer costs. */
async function observerSection(settings: Settings): Promise<string> {
  const dag = randomDag({ size: settings.bigSize, seed: 42, maxDeps: 3 });
  const nothing = () => undefined;
  const allHooks: DagObserver = {
    onRunStart: nothing,
    onNodeStart: nothing,
    onNodeRetry: nothing,
    onNodeEnd: nothing,
    onRunEnd: nothing,
  };
  const contenders: Contender[] = [
    { name: 'no observer', run: asyncDagBuilderInvoke(dag) },
    { name: 'observer `{}`', run: asyncDagBuilderInvoke(dag, noop, { observer: {} }) },
    { name: 'observer with all five hooks, each empty', run: asyncDagBuilderInvoke(dag, noop, { observer: allHooks }) },
  ];
  log(`  ${settings.bigSize.toLocaleString('en-US')} nodes, ${contenders.length} variants ...`);
  const figures = await measure(contenders, {
    rounds: settings.observerRounds,
    warmup: settings.warmup,
    settleMs: settings.settleMs,
    sampleMs: settings.sampleMs,
  });
  const none = figures[0]!;
  return table(
    [
      'Invocation of async-dag (builder)',
      'Median per invocation',
      'p25 – p75',
      'vs no observer',
      'CPU time',
      'CPU vs no observer',
    ],
    figures.map((s) => [
      s.name,
      ms(s.median),
      `${ms(s.p25)} – ${ms(s.p75)}`,
      ratio(s.median / none.median),
      ms(s.cpuMedian),
      ratio(s.cpuMedian / none.cpuMedian),
    ]),
  );
}

function document(
  machine: MachineInfo,
  settings: Settings,
  sections: readonly [string, string][],
  totalSeconds: number,
): string {
  return [
    '# Benchmarks',
    '',
    'What async-dag costs next to the least a promise graph can do, and next to the libraries it',
    'replaces. Every figure below was written by `npm run bench` (`bench/run.ts`); run it again to',
    'get your own. `npm run bench -- --quick` is a smaller run of the same code, in about 20 s.',
    '',
    '## Method',
    '',
    '- All implementations run in one process, alternating round by round (in a new seeded order',
    '  each round), after warm-up rounds. Before each sample: a forced full gc (`--expose-gc`), then',
    '  untimed invocations until the heap is back to its working size (right after a full gc, the',
    '  first two 10,000-node invocations of async-dag took about ten times the CPU of the third).',
    `  A sample is ${settings.settleMs} ms of untimed invocations, then timed ones for ${settings.sampleMs} ms (at least one of each);`,
    '  figures are per invocation.',
    '  Figures are medians, with the 25th and 75th percentiles to show the spread.',
    '- Each sample is timed twice: wall-clock, and the CPU time of the process (`process.cpuUsage()`,',
    '  user + system, gc threads included). On a busy machine (see the load average below) wall-clock',
    '  includes time spent waiting for a core; CPU time does not, so its ratios are the steadier ones.',
    '- The random DAG is seeded: node `i` depends on up to 3 distinct earlier nodes. Every node body is',
    "  the same no-op `async` function, and each implementation hands it its dependencies' values as",
    '  its API allows: async-dag, async.auto and graph-run (`depResults`) pass them; p-graph passes',
    '  none, so its runner reads them from an array. Before timing, each implementation runs once with',
    "  a checking body, which must run every node exactly once and receive its dependencies' values.",
    '- async-dag is the built package: `npm run bench` builds first, and the benchmark (CommonJS, run',
    "  through `tsx` like the peers and baselines) requires `async-dag` by name, which the package's own",
    '  `exports` resolve to `dist/index.cjs`, as for a CommonJS user. (Mapped to the ES module build,',
    '  `tsx` rewrote it to CommonJS with a getter on every import between its chunks, a cost no user pays.)',
    '- The Promise.all baseline wires `Promise.all(deps).then(body)` per node: graphs of promises are',
    "  single-use, so its figure includes the wiring, as async-dag's includes its per-run state.",
    `- async.auto is measured on a ${settings.autoSize.toLocaleString('en-US')}-node graph (one invocation of 10,000 nodes takes tens of`,
    '  seconds), against the baseline and async-dag on that same graph; graph-run, which is also slow,',
    settings.graphRunBig
      ? '  runs in its own rounds against the baseline.'
      : `  is measured on the ${settings.autoSize.toLocaleString('en-US')}-node graph too in this quick run.`,
    '',
    '## Machine',
    '',
    table(
      ['', ''],
      [
        ['Date', machine.date],
        ['Node.js', machine.node],
        ['CPU', `${machine.cpu} (${machine.cores} logical cores)`],
        ['Memory', `${machine.memoryGb} GB`],
        ['OS', machine.platform],
        ['Load average (1 min) at start / end', `${machine.load.toFixed(2)} / ${os.loadavg()[0]!.toFixed(2)}`],
        ['Run', `${settings.label}${canForceGc ? '' : ' (without --expose-gc)'}, ${totalSeconds.toFixed(0)} s`],
      ],
    ),
    '',
    ...sections.flatMap(([title, body]) => [`## ${title}`, '', body, '']),
    '## Reading the figures',
    '',
    '- **Large graphs.** Per node, async-dag does what a hand-wired promise graph does (one call, one',
    '  promise, one callback), plus a counter decrement per dependency and a clock read per settled',
    '  node (for `result.trace` and for learning durations). It keeps per-run state in flat arrays',
    '  indexed by node, and a counter per node instead of a `Promise.all`, so a very large invocation',
    '  leaves the garbage collector much less to trace (see the memory figures).',
    '- **Small graphs.** A six-node invocation costs a fraction of a microsecond more than hand-written',
    '  `async` code: per run, its state arrays, a result object and two exact clock readings (its start',
    '  and end; in between, a graph whose runs are quick shares one reading per turn of the event loop);',
    '  per node, a `.then` with its two callbacks, and a `ctx` for a body that declares one. These dominate',
    '  when the node bodies do nothing; with real I/O in the nodes they are noise. A full gc forced',
    '  before each sample slows async-dag far more than the hand-written function on the machine',
    '  measured (its first scavenges afterwards pause for milliseconds, with almost nothing to copy),',
    '  and makes its figures noisy: hence the second regime, a steady loop.',
    '- **Observers.** Without an observer the scheduler only tests `observer !== undefined` per node',
    '  start and end; each node hook an observer has costs an event object and a call per node.',
    '- **p-graph** copies its whole dependency map (a `Set` per node) on every `run()`, and schedules',
    '  through a priority queue even without a concurrency limit. **graph-run** discovers the graph',
    '  while it walks it and keeps, for each node, the set of all its transitive dependents (for',
    '  cycle detection), so its cost grows with depth. **async.auto** re-checks waiting tasks as',
    '  results arrive; its cost grows much faster than the graph.',
    '- **Schedule quality.** With a concurrency limit, FIFO starts whatever became ready first and',
    '  leaves the longest chain for last; p-graph (each node priority 1) and async-dag favour the',
    "  node with the longest remaining path. async-dag's first run counts that path in nodes; later",
    '  runs weigh it by the durations it measured.',
    '',
  ].join('\n');
}

/** 7. Each trick of the engine against the same engine without it (see bench/tricks.ts). */
async function tricksSection(settings: Settings): Promise<string> {
  const only = process.env.BENCH_TRICKS?.split(',');
  const figures = await measureTricks({
    rounds: Math.max(5, Number(process.env.BENCH_TRICKS_ROUNDS ?? settings.seedRounds)),
    warmup: settings.warmup,
    settleMs: settings.settleMs,
    sampleMs: settings.sampleMs,
    ...(only === undefined ? {} : { only }),
    log,
  });
  return tricksTable(figures);
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const settings = args.includes('--quick') ? QUICK : FULL;
  const partial = args.some((a) => a.startsWith('--only='));
  const write = args.includes('--no-write') || partial ? false : args.includes('--write') || settings === FULL;
  if (!canForceGc) log('warning: run with --expose-gc (npm run bench does) for figures taken after a full gc');
  const machine = machineInfo();
  log(`# async-dag benchmarks (${settings.label}), ${machine.node} on ${machine.cpu}`);
  const t0 = performance.now();
  const sections: [string, string][] = [];
  const plan: [string, string, (s: Settings) => Promise<string>][] = [
    ['invoke', `Invoking a prebuilt ${settings.bigSize.toLocaleString('en-US')}-node random DAG`, invokeSection],
    ['build', 'Building a graph', buildSection],
    ['seed', 'The seed example, many small invocations', seedSection],
    ['memory', `Memory: ${settings.memorySize.toLocaleString('en-US')}-node graphs`, memorySection],
    ['schedule', 'Schedule quality with a concurrency limit', scheduleSection],
    ['observer', 'Cost of an observer', observerSection],
    [
      'workers',
      'Nodes on workers (async-dag/bullmq)',
      (s) => workersSection({ chainSize: s.workersChain, rounds: s.workersRounds }, log),
    ],
    ['tricks', "The engine's tricks, each against the same engine without it", tricksSection],
  ];
  const only = args
    .find((a) => a.startsWith('--only='))
    ?.slice('--only='.length)
    .split(',');
  const unknown = only?.filter((key) => !plan.some(([k]) => k === key)) ?? [];
  if (unknown.length > 0)
    throw new TypeError(`Unknown section(s) ${unknown.join(', ')}; known: ${plan.map(([k]) => k).join(', ')}`);
  for (const [key, title, run] of plan) {
    if (only !== undefined && !only.includes(key)) continue;
    log('');
    log(`## ${title}`);
    const t = performance.now();
    const body = await run(settings);
    sections.push([title, body]);
    log('');
    log(body);
    log(`(${((performance.now() - t) / 1000).toFixed(1)} s)`);
  }
  log('');
  log(`total ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  if (write) {
    const file = path.join(__dirname, '..', 'docs', 'benchmarks.md');
    writeFileSync(file, document(machine, settings, sections, (performance.now() - t0) / 1000));
    log(`wrote ${path.relative(process.cwd(), file)}`);
  }
}

if (require.main === module) {
  main().catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  });
}
