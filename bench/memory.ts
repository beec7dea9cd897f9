/**
 * Memory and time of a very large graph (a chain, and a fan-out from one root), each in its own
 * child process so that peak RSS belongs to that case alone. Memory figures are deltas of
 * `heapUsed + external` (typed arrays keep their data outside the JS heap) after a forced gc:
 * what the built graph retains, and what one result retains.
 */
import { spawn } from 'node:child_process';
import { buildDag, type TaskNode } from 'async-dag';

export type Shape = 'chain' | 'fan-out';
export type Implementation = 'async-dag' | 'Promise.all';

export interface MemoryFigures {
  readonly shape: Shape;
  readonly implementation: Implementation;
  readonly size: number;
  readonly buildMs: number;
  readonly invokeMs: number;
  /** Retained by the built graph (for Promise.all: by the dependency lists it wires from). */
  readonly graphBytesPerNode: number;
  /** Retained by one invocation's result. */
  readonly resultBytesPerNode: number;
  readonly peakRssMb: number;
  /** (Peak RSS - RSS before building) / nodes: everything the case needed at its peak, per node. */
  readonly peakBytesPerNode: number;
}

/** Anonymous on purpose: a named function gets a unique name per node, which is not what is measured here. */
const body = [async (..._args: unknown[]) => 0][0]!;

/** JS heap plus memory held outside it (typed arrays' backing stores live there), after a full gc. */
function heapUsed(): number {
  const gc = (globalThis as { gc?: () => void }).gc;
  gc?.();
  gc?.();
  const { heapUsed, external } = process.memoryUsage();
  return heapUsed + external;
}

function depsOf(shape: Shape, size: number): number[][] {
  const deps: number[][] = new Array(size);
  deps[0] = [];
  for (let i = 1; i < size; i++) deps[i] = [shape === 'chain' ? i - 1 : 0];
  return deps;
}

async function measureHere(shape: Shape, implementation: Implementation, size: number): Promise<MemoryFigures> {
  const before = heapUsed();
  const rssBefore = process.memoryUsage().rss;
  const t0 = performance.now();
  let invoke: () => Promise<unknown>;
  let retainedGraph: unknown;
  if (implementation === 'async-dag') {
    const graph = buildDag((tm) => {
      const nodes: TaskNode<number>[] = new Array(size);
      nodes[0] = tm.addNode(body);
      for (let i = 1; i < size; i++) nodes[i] = tm.addNode(body, nodes[shape === 'chain' ? i - 1 : 0]!);
    });
    retainedGraph = graph;
    invoke = async () => {
      const result = await graph.invoke();
      if (result.status(`node_${size - 1}`) !== 'fulfilled') throw new Error('the last node did not fulfil');
      return result;
    };
  } else {
    const deps = depsOf(shape, size);
    retainedGraph = deps;
    invoke = () => {
      const promises = new Array<Promise<unknown>>(size);
      for (let i = 0; i < size; i++) {
        const mine = deps[i]!;
        promises[i] = mine.length === 0 ? body() : Promise.all(mine.map((d) => promises[d]!)).then((v) => body(...v));
      }
      return Promise.all(promises);
    };
  }
  const buildMs = performance.now() - t0;
  const built = heapUsed();
  const t1 = performance.now();
  const result = await invoke();
  const invokeMs = performance.now() - t1;
  const after = heapUsed();
  if (result === undefined || retainedGraph === undefined) throw new Error('nothing was retained');
  return {
    shape,
    implementation,
    size,
    buildMs,
    invokeMs,
    graphBytesPerNode: (built - before) / size,
    resultBytesPerNode: (after - built) / size,
    peakRssMb: process.resourceUsage().maxRSS / 1024,
    peakBytesPerNode: (process.resourceUsage().maxRSS * 1024 - rssBefore) / size,
  };
}

/** Runs one case in a fresh `node --expose-gc` process and returns its figures. */
export function measureMemory(shape: Shape, implementation: Implementation, size: number): Promise<MemoryFigures> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ['--expose-gc', '--max-old-space-size=4096', '--import', 'tsx', __filename, shape, implementation, String(size)],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      if (code !== 0) return reject(new Error(`memory case ${shape}/${implementation} exited with ${code}`));
      try {
        resolve(JSON.parse(out) as MemoryFigures);
      } catch (error) {
        reject(error);
      }
    });
  });
}

if (require.main === module) {
  const [shape, implementation, size] = process.argv.slice(2);
  measureHere(shape as Shape, implementation as Implementation, Number(size)).then(
    (figures) => process.stdout.write(JSON.stringify(figures)),
    (error: unknown) => {
      console.error(error);
      process.exitCode = 1;
    },
  );
}
