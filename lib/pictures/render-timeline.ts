import { shown } from '../errors';
import type { Schedule, ScheduleRow } from './schedule';

/** Below this there is no room for a name, a bar worth reading and a duration. */
const MIN_WIDTH = 30;
const MAX_NAME = 24;
const MIN_BAR = 10;

/** Cells of each kind of bar: fulfilled, rejected, cut short by the end of the run; an immediate is a point. */
const BAR = { fulfilled: '█', rejected: '▓', skipped: '░' } as const;
const IMMEDIATE = '◆';

/**
 * Terminal columns of one code point: 0 for combining marks and zero-width characters, 2 for
 * East Asian wide and fullwidth characters and most emoji, 1 otherwise. An approximation of
 * `wcwidth`, good enough to keep rows within `width`.
 */
function columnsOf(codePoint: number): number {
  if (
    (codePoint >= 0x300 && codePoint <= 0x36f) ||
    (codePoint >= 0x200b && codePoint <= 0x200f) ||
    codePoint === 0xfeff
  )
    return 0;
  // VS16 asks for emoji presentation: a text-width symbol before it (`❤️`) then takes two
  // columns, so it adds one. (After a character that is wide already, that over-counts by one,
  // which only leaves a cell of padding.)
  if (codePoint === 0xfe0f) return 1;
  if ((codePoint >= 0xfe00 && codePoint <= 0xfe0e) || (codePoint >= 0x20d0 && codePoint <= 0x20ff)) return 0;
  if (
    (codePoint >= 0x1100 && codePoint <= 0x115f) ||
    (codePoint >= 0x2e80 && codePoint <= 0xa4cf && codePoint !== 0x303f) ||
    (codePoint >= 0xac00 && codePoint <= 0xd7a3) ||
    (codePoint >= 0xf900 && codePoint <= 0xfaff) ||
    (codePoint >= 0xfe30 && codePoint <= 0xfe4f) ||
    (codePoint >= 0xff00 && codePoint <= 0xff60) ||
    (codePoint >= 0xffe0 && codePoint <= 0xffe6) ||
    (codePoint >= 0x1f300 && codePoint <= 0x1faff) ||
    (codePoint >= 0x20000 && codePoint <= 0x3fffd)
  ) {
    return 2;
  }
  // Symbols shown as emoji by default (`⚡`, `☕`, `⌛`), outside the blocks above.
  if (codePoint >= 0x2300 && codePoint <= 0x2bff && EMOJI_PRESENTATION.test(String.fromCodePoint(codePoint))) return 2;
  return 1;
}

const EMOJI_PRESENTATION = /^\p{Emoji_Presentation}$/u;

const PRINTABLE_ASCII = /^[\x20-\x7e]*$/;

/** How many terminal columns `text` takes. */
function columnsIn(text: string): number {
  if (PRINTABLE_ASCII.test(text)) return text.length;
  let columns = 0;
  for (const char of text) columns += columnsOf(char.codePointAt(0)!);
  return columns;
}

/**
 * `text` in exactly `width` columns: padded with spaces, or cut with `…` (never inside a
 * surrogate pair). Control characters (a newline, an escape sequence) would break the row, so
 * they are shown as spaces.
 */
function fit(text: string, width: number): string {
  // Most names are printable ASCII: one column per character.
  if (PRINTABLE_ASCII.test(text)) return text.length <= width ? text.padEnd(width) : `${text.slice(0, width - 1)}…`;
  // eslint-disable-next-line no-control-regex -- control characters are what this replaces
  const clean = text.replace(/[\u0000-\u001f\u007f-\u009f]/g, ' ');
  const total = columnsIn(clean);
  if (total <= width) return clean + ' '.repeat(width - total);
  let out = '';
  let used = 0;
  for (const char of clean) {
    const columns = columnsOf(char.codePointAt(0)!);
    if (used + columns > width - 1) break;
    out += char;
    used += columns;
  }
  return out + '…' + ' '.repeat(width - 1 - used);
}

function describe(entry: ScheduleRow): string {
  if (entry.start === undefined) return entry.status;
  if (entry.kind === 'immediate') return entry.status === 'fulfilled' ? 'immediate' : `immediate, ${entry.status}`;
  const parts = [`${(entry.duration ?? 0).toFixed(1)} ms`];
  if (entry.status === 'rejected') parts.push('rejected');
  else if (entry.status === 'skipped') parts.push('stopped');
  if (entry.attempts > 1) parts.push(`${entry.attempts} attempts`);
  return parts.join(', ');
}

/**
 * A terminal timeline: exactly one row per node, `name |   █████████       | 12.3 ms`, each
 * ending with a newline. The bars share one scale: the left edge is the start of the run, the
 * right edge its end.
 * Columns: the name (cut with `…` past 24 columns or a third of the width), the bar scaled so
 * the whole run fills it, then the duration and anything unusual (rejected, stopped, attempts).
 * A node that never started has an empty bar and says `skipped`. No line is wider than `width`.
 */
export function renderTimeline(trace: Schedule, width = 80): string {
  if (!(typeof width === 'number' && Number.isInteger(width) && width >= MIN_WIDTH)) {
    throw new TypeError(`Expected \`width\` to be an integer from ${MIN_WIDTH} and up, got ${shown(width)}`);
  }
  const nodes = trace.nodes;
  const suffixes = nodes.map(describe);
  // Loops, not Math.max(...spread): a graph may have more nodes than a call has arguments.
  let total = trace.duration;
  let longestName = 4;
  let longestSuffix = 0;
  nodes.forEach((node, i) => {
    if ((node.end ?? 0) > total) total = node.end!;
    longestName = Math.max(longestName, columnsIn(node.name));
    longestSuffix = Math.max(longestSuffix, suffixes[i]!.length);
  });

  // Layout: `name |bar| suffix`. The name takes at most a third of the width, the suffix what is
  // left beyond MIN_BAR cells of bar; MIN_WIDTH guarantees that this always fits.
  const nameWidth = Math.min(longestName, MAX_NAME, Math.floor(width / 3));
  const suffixWidth = Math.min(longestSuffix, width - nameWidth - MIN_BAR - 4);
  const barWidth = width - nameWidth - suffixWidth - 4;

  const column = (ms: number): number =>
    total <= 0 ? 0 : Math.min(barWidth - 1, Math.max(0, Math.floor((ms / total) * barWidth)));
  const bar = (node: ScheduleRow): string => {
    if (node.start === undefined) return ' '.repeat(barWidth);
    const from = column(node.start);
    const to = node.kind === 'immediate' ? from : Math.max(from, column(node.end ?? total));
    const mark = node.kind === 'immediate' ? IMMEDIATE : BAR[node.status];
    return ' '.repeat(from) + mark.repeat(to - from + 1) + ' '.repeat(barWidth - to - 1);
  };
  const rows = nodes.map(
    (node, i) => `${fit(node.name, nameWidth)} |${bar(node)}| ${fit(suffixes[i]!, suffixWidth).trimEnd()}`,
  );
  return rows.length === 0 ? '' : rows.join('\n') + '\n';
}
