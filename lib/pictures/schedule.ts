/**
 * What the schedule pictures draw: one row per node, times in ms since the run began. A run's
 * `Trace` is one; the pictures take only this shape, so they depend on nothing of the engine.
 */
export interface ScheduleRow {
  readonly name: string;
  readonly kind: 'node' | 'immediate';
  readonly status: 'fulfilled' | 'rejected' | 'skipped';
  readonly start: number | undefined;
  readonly end: number | undefined;
  readonly duration?: number | undefined;
  readonly attempts: number;
}

/** A whole run as the schedule pictures see it: its rows and how long it took (ms). */
export interface Schedule {
  readonly nodes: readonly ScheduleRow[];
  readonly duration: number;
}
