import type { Trace } from './trace';

const SAFE = /[:;#]/g;

/**
 * A Mermaid `gantt` chart of a trace: one task per node that started, placed at its start and
 * end in milliseconds since the invocation began (`dateFormat x`), in declaration order.
 * Rejected nodes are marked `crit`, nodes that never started are left out.
 */
export function renderGantt(trace: Trace): string {
  const lines = ['gantt', '    title async-dag run', '    dateFormat x', '    axisFormat %S.%L s', '    section nodes'];
  for (const entry of trace.nodes) {
    if (entry.start === undefined) continue;
    const start = Math.round(entry.start);
    // Mermaid draws nothing for a zero-length task, so every bar is at least 1 ms long.
    const end = Math.max(start + 1, Math.round(entry.end ?? trace.duration));
    const tag = entry.status === 'rejected' ? 'crit, ' : entry.status === 'skipped' ? 'active, ' : '';
    lines.push(`    ${entry.name.replace(SAFE, '_')} :${tag}${start}, ${end}`);
  }
  return lines.join('\n') + '\n';
}
