/**
 * A binary max-heap of node indices, for runs with a concurrency limit: O(log n) per push and
 * pop. Ordered by `priority` (higher first), then `rank` (longer remaining path first), then
 * index (declaration order).
 */
export class ReadyQueue {
  readonly #heap: number[] = [];
  readonly #priority: (index: number) => number;
  readonly #rank: Float64Array;

  constructor(priority: (index: number) => number, rank: Float64Array) {
    this.#priority = priority;
    this.#rank = rank;
  }

  get size(): number {
    return this.#heap.length;
  }

  /** `true` when node `a` should start before node `b`. */
  #before(a: number, b: number): boolean {
    const pa = this.#priority(a);
    const pb = this.#priority(b);
    if (pa !== pb) return pa > pb;
    const ra = this.#rank[a]!;
    const rb = this.#rank[b]!;
    if (ra !== rb) return ra > rb;
    return a < b;
  }

  push(index: number): void {
    const heap = this.#heap;
    let child = heap.length;
    heap.push(index);
    while (child > 0) {
      const parent = (child - 1) >> 1;
      if (!this.#before(index, heap[parent]!)) break;
      heap[child] = heap[parent]!;
      child = parent;
    }
    heap[child] = index;
  }

  /** Removes and returns the node to start next; the queue must not be empty. */
  pop(): number {
    const heap = this.#heap;
    const top = heap[0]!;
    const last = heap.pop()!;
    const size = heap.length;
    if (size > 0) {
      let parent = 0;
      for (;;) {
        let child = 2 * parent + 1;
        if (child >= size) break;
        if (child + 1 < size && this.#before(heap[child + 1]!, heap[child]!)) child++;
        if (!this.#before(heap[child]!, last)) break;
        heap[parent] = heap[child]!;
        parent = child;
      }
      heap[parent] = last;
    }
    return top;
  }
}
