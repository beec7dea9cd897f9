import type { Schedule, ScheduleRow } from './schedule';

/**
 * Mermaid's gantt lexer takes the first rule that matches, so a task name that starts like a
 * statement (`title x`, `section x`, `gantt...`, a `YYYY-MM-DD` date) would be read as one.
 * Such a name gets a zero-width space in front: invisible, and no rule starts with it.
 */
const STATEMENT_START =
  /^(?:gantt|topaxis|inclusiveenddates|acctitle|accdescr|(?:dateformat|axisformat|tickinterval|includes|excludes|todaymarker|weekday|weekend|title|accdescription|section|click|call|href|displaymode)\s|\d{4}-\d{2}-\d{2})/i;

/**
 * Characters a task name cannot hold: `:` ends it, `#`, `%` and `;` start comments or
 * statements, and control characters (a newline) would end the line.
 */
// eslint-disable-next-line no-control-regex -- control characters are what this replaces
const UNSAFE = /[:;#%\u0000-\u001f\u007f-\u009f]/g;

function taskName(entry: ScheduleRow): string {
  const text = entry.name.replace(UNSAFE, '_').trim();
  const name = entry.attempts > 1 ? `${text} (${entry.attempts} attempts)` : text;
  // Tested as written in the line, `name :...`: `title` alone is read as a title there too.
  return name === '' || STATEMENT_START.test(`${name} `) ? `\u200b${name}` : name;
}

/** How the axis labels the run: milliseconds for a short run, seconds for a longer one. */
function axisFormat(total: number): string {
  if (total < 1_000) return '%L ms';
  if (total < 60_000) return '%S.%L s';
  return '%M:%S';
}

/**
 * A Mermaid `gantt` chart of a trace. Times are ms since the invocation began, written with
 * `dateFormat x` (a Unix time in ms, so the chart starts at 0). One task per node that started,
 * `name :tags, start, end`: `done` if it fulfilled, `crit` if it was rejected, `active` if the
 * run stopped while it was running. Immediates are `milestone`s in a section of their own.
 * Every bar is at least 1 ms long, since Mermaid draws nothing for an empty one.
 */
export function renderGantt(trace: Schedule): string {
  const started = trace.nodes.filter((entry) => entry.start !== undefined);
  const total = Math.max(1, Math.ceil(trace.duration));
  const lines = ['gantt', '    title async-dag run', '    dateFormat x', `    axisFormat ${axisFormat(total)}`];
  const immediates = started.filter((entry) => entry.kind === 'immediate');
  const nodes = started.filter((entry) => entry.kind === 'node');
  if (immediates.length > 0) {
    lines.push('    section immediates');
    for (const entry of immediates) {
      const at = Math.round(entry.start!);
      lines.push(`    ${taskName(entry)} :milestone, ${at}, ${at}`);
    }
  }
  if (nodes.length > 0) {
    lines.push('    section nodes');
    for (const entry of nodes) {
      const start = Math.round(entry.start!);
      const end = Math.max(start + 1, Math.round(entry.end ?? trace.duration));
      const tag = entry.status === 'fulfilled' ? 'done' : entry.status === 'rejected' ? 'crit' : 'active';
      lines.push(`    ${taskName(entry)} :${tag}, ${start}, ${end}`);
    }
  }
  return lines.join('\n') + '\n';
}
