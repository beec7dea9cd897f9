/**
 * The simplest sound scheduler with a concurrency limit, as a reference point: ready nodes wait
 * in one FIFO queue (roots in declaration order, then in the order they become ready), and a
 * free slot always takes the oldest. It never looks at what lies downstream of a node.
 */
import type { RandomDag } from './random-dag';

export function runFifo(dag: RandomDag, concurrency: number, body: (index: number) => Promise<unknown>): Promise<void> {
  const { size, deps } = dag;
  const waiting = new Int32Array(size);
  const dependents: number[][] = Array.from({ length: size }, () => []);
  for (let i = 0; i < size; i++) {
    waiting[i] = deps[i]!.length;
    for (const d of deps[i]!) dependents[d]!.push(i);
  }
  const queue: number[] = [];
  for (let i = 0; i < size; i++) if (waiting[i] === 0) queue.push(i);
  let head = 0;
  let running = 0;
  let done = 0;
  return new Promise<void>((resolve, reject) => {
    if (size === 0) return resolve();
    const pump = (): void => {
      while (running < concurrency && head < queue.length) {
        const i = queue[head++]!;
        running++;
        body(i).then(() => {
          running--;
          done++;
          for (const k of dependents[i]!) if (--waiting[k]! === 0) queue.push(k);
          if (done === size) resolve();
          else pump();
        }, reject);
      }
    };
    pump();
  });
}
