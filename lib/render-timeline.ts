import type { Trace } from './trace';

/**
 * A terminal timeline: one row per node, `name  |   ███████        | 12.3 ms`, the bars scaled
 * so that the whole run fits in `width` columns.
 */
export function renderTimeline(trace: Trace, width = 80): string {
  if (!(Number.isInteger(width) && width >= 20)) {
    throw new TypeError(`Expected \`width\` to be an integer from 20 up, got \`${String(width)}\` (${typeof width})`);
  }
  const nodes = trace.nodes;
  const total = Math.max(trace.duration, ...nodes.map((n) => n.end ?? 0));
  const nameWidth = Math.min(24, Math.max(4, ...nodes.map((n) => n.name.length)));
  const suffixWidth = 12;
  const barWidth = Math.max(8, width - nameWidth - suffixWidth - 4);
  const column = (ms: number): number => (total <= 0 ? 0 : Math.min(barWidth - 1, Math.floor((ms / total) * barWidth)));
  const rows = nodes.map((node) => {
    const name = node.name.length > nameWidth ? `${node.name.slice(0, nameWidth - 1)}…` : node.name.padEnd(nameWidth);
    const cells = new Array<string>(barWidth).fill(' ');
    let suffix: string;
    if (node.start === undefined) {
      suffix = node.status;
    } else {
      const end = node.end ?? total;
      const mark = node.status === 'fulfilled' ? '█' : node.status === 'rejected' ? '✗' : '░';
      for (let c = column(node.start); c <= column(end); c++) cells[c] = mark;
      suffix = node.status === 'fulfilled' ? `${(end - node.start).toFixed(1)} ms` : node.status;
    }
    return `${name} |${cells.join('')}| ${suffix}`.slice(0, width);
  });
  const scale = `${''.padEnd(nameWidth)} 0${`${total.toFixed(1)} ms`.padStart(barWidth)}`;
  return [...rows, scale.slice(0, width)].join('\n') + '\n';
}
