/**
 * Records what happens, in order, as plain strings (`start:a`, `end:a`), so ordering tests
 * compare arrays instead of clocks.
 */
export class Recorder {
  readonly events: string[] = [];

  push(event: string): void {
    this.events.push(event);
  }

  /** Position of `event`; fails loudly when it never happened. */
  at(event: string): number {
    const index = this.events.indexOf(event);
    if (index < 0) throw new Error(`"${event}" never happened; events: ${this.events.join(', ')}`);
    return index;
  }

  /** The events of one kind (`start`), names only, in order. */
  of(kind: string): string[] {
    const prefix = `${kind}:`;
    return this.events.filter((e) => e.startsWith(prefix)).map((e) => e.slice(prefix.length));
  }
}
