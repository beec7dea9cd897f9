/**
 * What the scheduler learns of a graph from its runs: a moving average of each node's duration,
 * and whether its runs are quick. Each graph holds one from its compilation (see
 * `newLearning`); it never changes what the graph means, only the order of ready nodes and
 * which clock times the next runs, so concurrent runs share it harmlessly.
 */
export interface Learning {
  /** Average duration (ms) of each node, `NaN` where never measured; made by the first recorded run. */
  average: Float64Array | undefined;
  /** Exactly timed runs finished so far (not all of them are recorded). */
  runs: number;
  /** The last run that ended (fulfilled or stopped) took less than the engine's quick-run threshold (`TURN_CLOCK_BELOW`): the next runs use the turn clock. */
  quick: boolean;
  /** Bumped when the ranks should be computed again, so cached ranks know they are stale. */
  version: number;
  ranks: { readonly version: number; readonly ranks: Float64Array } | undefined;
}

/** A graph's learning before its first run. */
export function newLearning(): Learning {
  return { average: undefined, runs: 0, quick: false, version: 0, ranks: undefined };
}
