import { shown } from './options';
import type { Trace, TraceEntry } from './trace';

/** Below this there is no room for a name, a bar worth reading and a duration. */
const MIN_WIDTH = 30;
const MAX_NAME = 24;
const MIN_BAR = 10;

/** Cells of each kind of bar: fulfilled, rejected, cut short by the end of the run; an immediate is a point. */
const BAR = { fulfilled: '█', rejected: '▓', skipped: '░' } as const;
const IMMEDIATE = '◆';

/** Whole code points, so a name is never cut inside a surrogate pair. */
function fit(text: string, width: number): string {
  const chars = Array.from(text);
  if (chars.length <= width) return text + ' '.repeat(width - chars.length);
  return chars.slice(0, width - 1).join('') + '…';
}

function describe(entry: TraceEntry): string {
  if (entry.start === undefined) return entry.status;
  if (entry.kind === 'immediate') return entry.status === 'fulfilled' ? 'immediate' : `immediate, ${entry.status}`;
  const parts = [`${(entry.duration ?? 0).toFixed(1)} ms`];
  if (entry.status === 'rejected') parts.push('rejected');
  else if (entry.status === 'skipped') parts.push('stopped');
  if (entry.attempts > 1) parts.push(`${entry.attempts} attempts`);
  return parts.join(', ');
}

/**
 * A terminal timeline: one row per node, `name |   █████████       | 12.3 ms`, then a scale.
 * Columns: the name (cut with `…` past 24 characters or a third of the width), the bar scaled so
 * the whole run fills it, then the duration and anything unusual (rejected, stopped, attempts).
 * A node that never started has an empty bar and says `skipped`. No line is wider than `width`.
 */
export function renderTimeline(trace: Trace, width = 80): string {
  if (!(typeof width === 'number' && Number.isInteger(width) && width >= MIN_WIDTH)) {
    throw new TypeError(`Expected \`width\` to be an integer from ${MIN_WIDTH} and up, got ${shown(width)}`);
  }
  const nodes = trace.nodes;
  const total = Math.max(trace.duration, ...nodes.map((node) => node.end ?? 0));
  const suffixes = nodes.map(describe);
  const totalLabel = `${total.toFixed(1)} ms`;

  // Layout: `name |bar| suffix`. The suffix column shrinks first, then the name, so the bar
  // keeps at least MIN_BAR cells; MIN_WIDTH guarantees that this always fits.
  const longestName = Math.max(4, ...nodes.map((node) => Array.from(node.name).length));
  const longestSuffix = Math.max(0, ...suffixes.map((suffix) => suffix.length));
  const nameWidth = Math.min(longestName, MAX_NAME, Math.floor(width / 3));
  const suffixWidth = Math.min(longestSuffix, width - nameWidth - MIN_BAR - 4);
  const barWidth = width - nameWidth - suffixWidth - 4;

  const column = (ms: number): number =>
    total <= 0 ? 0 : Math.min(barWidth - 1, Math.max(0, Math.floor((ms / total) * barWidth)));
  const rows = nodes.map((node, i) => {
    const cells = new Array<string>(barWidth).fill(' ');
    if (node.start !== undefined) {
      const from = column(node.start);
      if (node.kind === 'immediate') {
        cells[from] = IMMEDIATE;
      } else {
        const to = Math.max(from, column(node.end ?? total));
        cells.fill(BAR[node.status], from, to + 1);
      }
    }
    return `${fit(node.name, nameWidth)} |${cells.join('')}| ${fit(suffixes[i]!, suffixWidth).trimEnd()}`;
  });
  const scale = `${' '.repeat(nameWidth)}  0${totalLabel.padStart(barWidth - 1)}`;
  return [...rows, scale.slice(0, width).trimEnd()].join('\n') + '\n';
}
