/**
 * `npm run stress` (`node --expose-gc --import tsx bench/stress.ts`): the soak and scale runs
 * behind docs/reliability.md, at full size. Not part of `npm test` (its short version is
 * spec/reliability/soak.spec.ts). Takes a few minutes.
 *
 * - 100,000 concurrent invocations of one small graph: each answer matches its own params.
 * - 1,000,000 invocations in a row: the heap, sampled after forced collections, does not grow.
 * - 1,000,000-node graphs (chain, fan-out, random): built and run, every value checked; time and
 *   peak memory recorded.
 * - durable: 10,000 small durable runs through async-dag/bullmq against a redis-server it starts
 *   (Debian's `redis-server`), with Redis's key count and used_memory before and after, once with
 *   the default retention and once with a 1 s retention lapsed (`--only=durable` runs it alone).
 *
 * Every scenario runs in a fresh Node process, so its peak memory (max RSS) is its own.
 * The figures replace the block between `<!-- stress:begin -->` and `<!-- stress:end -->` in
 * docs/reliability.md.
 *
 *   --no-write          print only
 *   --only=a,b          run only these scenarios (and do not write the docs)
 *   --scenario=name     (internal) run one scenario in this process and print it as JSON
 */
import { execFile } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { durableRuns } from './durable-stress';
import { bigGraph, concurrentInvocations, sequentialInvocations, type Shape } from '../spec/reliability/soak-scenarios';

const MB = 1024 * 1024;
const SCENARIOS = ['concurrent', 'sequential', 'chain', 'fan-out', 'random', 'durable'] as const;
type Scenario = (typeof SCENARIOS)[number];

/** What a scenario process reports. */
interface Report {
  readonly scenario: Scenario;
  readonly ok: boolean;
  readonly lines: readonly string[];
  /** Table cells: what, size, time, memory, verdict. */
  readonly row: readonly [string, string, string, string, string];
  readonly peakRssMb: number;
  readonly baseRssMb: number;
}

const fmt = (n: number, digits = 0): string =>
  n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
const seconds = (ms: number): string => `${fmt(ms / 1000, 2)} s`;

/** Runs one scenario here and returns its report. */
async function runScenario(scenario: Scenario): Promise<Report> {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (typeof gc !== 'function') throw new Error('run with node --expose-gc');
  gc();
  const baseRssMb = process.memoryUsage().rss / MB;
  const peak = (): number => process.resourceUsage().maxRSS / 1024;
  const cpu0 = process.cpuUsage();
  /** CPU seconds (user + system) since the scenario began: what a busy machine does not inflate. */
  const cpu = (): string => {
    const used = process.cpuUsage(cpu0);
    return `CPU ${seconds((used.user + used.system) / 1000)}`;
  };

  if (scenario === 'durable') {
    const count = 10_000;
    const run = await durableRuns(count);
    const kb = (bytes: number): string => `${fmt(bytes / 1024)} KB`;
    const [keys0, keysKept, keysShort] = run.keys;
    const [mem0, memKept, memShort] = run.memory;
    // Nothing grows without bound: past a 1 s retention, the keys left do not scale with the runs
    // (the queue's own keys, and the jobs of the runs still within it). used_memory also holds
    // BullMQ's event stream, which BullMQ caps (about 10,000 events a queue).
    const { started } = run;
    const ok = run.wrong === 0 && keysShort - keys0 < 100 && started.wrong === 0 && started.lasting < 100;
    return {
      scenario,
      ok,
      baseRssMb,
      peakRssMb: peak(),
      lines: [
        `${fmt(count)} durable runs (a local and a remote node each, 50 at a time) in ${seconds(run.ms)} (${fmt(count / (run.ms / 1000))} runs/s)`,
        `Redis keys ${fmt(keys0)} before, ${fmt(keysKept)} after them with the default retention (${fmt((keysKept - keys0) / count, 1)} a run), ${fmt(keysShort)} after ${fmt(count)} more with a 1 s retention lapsed`,
        `used_memory ${kb(mem0)} before, ${kb(memKept)} kept (${fmt((memKept - mem0) / count)} bytes a run), ${kb(memShort)} after the 1 s retention lapsed`,
        run.wrong === 0 ? 'every value right' : `${run.wrong} wrong`,
        `${fmt(started.runs)} runs started with start() and read with wait() (a worker serving runs, 50 at a time) in ${seconds(started.ms)} (${fmt(started.runs / (started.ms / 1000))} runs/s): ${fmt(started.keys)} keys left, all but ${fmt(started.lasting)} expiring within the minute wait() leaves them; ${started.wrong === 0 ? 'every value right' : `${started.wrong} wrong`}`,
      ],
      row: [
        'durable runs on Redis (BullMQ worker in process): keys and used_memory',
        fmt(count),
        `${seconds(run.ms)} (${cpu()})`,
        `Redis: ${fmt(keysKept - keys0)} keys / ${kb(memKept - mem0)} kept for 24 h; ${fmt(keysShort - keys0)} keys / ${kb(memShort - mem0)} once a 1 s retention lapsed; started runs read with wait(): ${fmt(started.lasting)} keys past a minute`,
        ok ? 'every value right, nothing left past retention' : 'FAILED',
      ],
    };
  }

  if (scenario === 'concurrent') {
    const count = 100_000;
    const run = await concurrentInvocations(count);
    const ok = run.mismatches.length === 0;
    return {
      scenario,
      ok,
      baseRssMb,
      peakRssMb: peak(),
      lines: [
        `${fmt(count)} concurrent invocations of a 5-node graph in ${seconds(run.ms)} (${fmt(count / (run.ms / 1000))} invocations/s; ${cpu()} with the checks)`,
        ok ? 'every answer matched its own params' : `MISMATCHES: ${run.mismatches.join('; ')}`,
      ],
      row: [
        'concurrent invocations, each checked against its params',
        fmt(count),
        `${seconds(run.ms)} (${cpu()})`,
        `${fmt(peak() - baseRssMb)} MB above start`,
        ok ? 'no cross-talk' : `${run.mismatches.length}+ mismatches`,
      ],
    };
  }

  if (scenario === 'sequential') {
    const count = 1_000_000;
    const run = await sequentialInvocations(count, gc, { warmup: 10_000, samples: 10 });
    const heap = run.heap.map((h) => h.heapUsed / MB);
    const growthMb = heap[heap.length - 1]! - heap[0]!;
    const maxMb = Math.max(...heap);
    const minMb = Math.min(...heap);
    // A leak of one pointer-sized slot per invocation would be 8 MB here.
    const ok = run.mismatches.length === 0 && Math.abs(growthMb) < 2 && maxMb - minMb < 4;
    return {
      scenario,
      ok,
      baseRssMb,
      peakRssMb: peak(),
      lines: [
        `${fmt(count)} invocations in a row in ${seconds(run.ms)} (${fmt(count / (run.ms / 1000))} invocations/s; ${cpu()} with warm-up and forced gcs)`,
        `heap after forced gc, every ${fmt(count / 10)}: ${heap.map((h) => fmt(h, 2)).join(', ')} MB`,
        `growth ${fmt(growthMb, 2)} MB over the run = ${fmt(run.growthPerInvocation, 2)} bytes per invocation`,
        run.mismatches.length === 0
          ? 'every answer matched its own params'
          : `MISMATCHES: ${run.mismatches.join('; ')}`,
      ],
      row: [
        'invocations in a row, heap sampled after forced gc',
        fmt(count),
        `${seconds(run.ms)} (${cpu()} with forced gcs)`,
        `heap ${fmt(minMb, 1)}–${fmt(maxMb, 1)} MB, growth ${fmt(run.growthPerInvocation, 2)} B/invocation`,
        ok ? 'no leak' : 'LEAK or mismatch',
      ],
    };
  }

  const size = 1_000_000;
  const run = await bigGraph(scenario as Shape, size);
  const ok = run.wrong === 0;
  const peakMb = peak();
  return {
    scenario,
    ok,
    baseRssMb,
    peakRssMb: peakMb,
    lines: [
      `${scenario}: ${fmt(size)} nodes, ${fmt(run.edges)} edges`,
      `build ${seconds(run.buildMs)} (CPU ${seconds(run.buildCpuMs)}), first run ${seconds(run.firstRunMs)} (CPU ${seconds(run.firstRunCpuMs)}), second ${seconds(run.secondRunMs)}, concurrency 8 ${seconds(run.limitedRunMs)}`,
      `peak RSS ${fmt(peakMb)} MB (${fmt(baseRssMb)} MB at start)`,
      ok ? 'every node value matched' : `${run.wrong} WRONG VALUES`,
    ],
    row: [
      `${scenario} graph: build, then run (unlimited / concurrency 8)`,
      `${fmt(size)} nodes, ${fmt(run.edges)} edges`,
      `build ${seconds(run.buildMs)} (CPU ${seconds(run.buildCpuMs)}); run ${seconds(run.firstRunMs)} (CPU ${seconds(run.firstRunCpuMs)}), again ${seconds(run.secondRunMs)} / ${seconds(run.limitedRunMs)}`,
      `peak RSS ${fmt(peakMb)} MB`,
      ok ? 'every value right' : `${run.wrong} wrong`,
    ],
  };
}

/** Runs one scenario in a fresh process (same flags as this one) and parses its report. */
function inChild(scenario: Scenario): Promise<Report> {
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      ['--expose-gc', '--max-old-space-size=8192', '--import', 'tsx', __filename, `--scenario=${scenario}`],
      { maxBuffer: 16 * MB, timeout: 30 * 60_000 },
      (error, stdout, stderr) => {
        if (error) reject(new Error(`${scenario} failed: ${error.message}\n${stderr}`));
        else resolve(JSON.parse(stdout.trim().split('\n').pop()!) as Report);
      },
    );
  });
}

function table(reports: readonly Report[]): string {
  const head = ['Scenario', 'Size', 'Time', 'Memory', 'Result'];
  const rows = reports.map((r) => r.row.map((cell) => cell.replace(/\|/g, '\\|')));
  return [
    `| ${head.join(' | ')} |`,
    `| ${head.map(() => '---').join(' | ')} |`,
    ...rows.map((r) => `| ${r.join(' | ')} |`),
  ].join('\n');
}

function machine(): string {
  const cpus = os.cpus();
  return `Node ${process.version}, ${cpus.length} × ${cpus[0]?.model.trim() ?? 'unknown CPU'}, ${fmt(os.totalmem() / 1024 ** 3)} GB RAM, load average ${os
    .loadavg()
    .map((l) => fmt(l, 1))
    .join(' / ')} at the start (a shared machine: times are upper bounds)`;
}

export async function main(argv = process.argv.slice(2), log: (line: string) => void = console.log): Promise<boolean> {
  const one = argv.find((a) => a.startsWith('--scenario='))?.slice('--scenario='.length);
  if (one !== undefined) {
    if (!(SCENARIOS as readonly string[]).includes(one)) throw new Error(`unknown scenario ${one}`);
    log(JSON.stringify(await runScenario(one as Scenario)));
    return true;
  }
  const only = argv
    .find((a) => a.startsWith('--only='))
    ?.slice('--only='.length)
    .split(',');
  const chosen = SCENARIOS.filter((s) => only === undefined || only.includes(s));
  const about = machine();
  log(`async-dag stress: ${chosen.join(', ')}\n${about}\n`);
  const reports: Report[] = [];
  for (const scenario of chosen) {
    const t0 = performance.now();
    const report = await inChild(scenario);
    reports.push(report);
    log(`${report.ok ? 'ok  ' : 'FAIL'} ${scenario} (${seconds(performance.now() - t0)} with start-up)`);
    for (const line of report.lines) log(`     ${line}`);
  }
  const markdown = table(reports);
  log(`\n${markdown}\n`);
  const write = only === undefined && !argv.includes('--no-write');
  if (write) {
    const file = path.join(__dirname, '..', 'docs', 'reliability.md');
    const doc = readFileSync(file, 'utf8');
    const begin = '<!-- stress:begin -->';
    const end = '<!-- stress:end -->';
    const from = doc.indexOf(begin);
    const to = doc.indexOf(end);
    if (from < 0 || to < from) throw new Error(`docs/reliability.md has no ${begin} ... ${end} block`);
    const stamp = new Date().toISOString().slice(0, 10);
    const block = `${begin}\n_Measured by \`npm run stress\` on ${stamp}: ${about}._\n\n${markdown}\n${end}`;
    writeFileSync(file, doc.slice(0, from) + block + doc.slice(to + end.length));
    log('wrote the figures into docs/reliability.md');
  }
  const failed = reports.filter((r) => !r.ok).length;
  log(`stress: ${reports.length - failed} passed, ${failed} failed`);
  return failed === 0;
}

if (require.main === module) {
  main().then(
    (ok) => {
      process.exitCode = ok ? 0 : 1;
    },
    (error: unknown) => {
      console.error(error);
      process.exitCode = 1;
    },
  );
}
