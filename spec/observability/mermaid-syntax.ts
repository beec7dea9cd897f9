// Just enough of Mermaid's own lexers to check that what we render is read the way we mean it.
// The rules are those of mermaid's gantt.jison and flow.jison, in their order: like jison's
// default lexer, the first rule that matches at a position wins (not the longest).

interface Rule {
  readonly token: string;
  readonly pattern: RegExp;
}

const gantt = (token: string, source: string, flags = 'i'): Rule => ({
  token,
  pattern: new RegExp(`^(?:${source})`, flags),
});

/** gantt.jison (case-insensitive), the INITIAL state, without directives and click/call/href bodies. */
const GANTT_RULES: readonly Rule[] = [
  gantt('acc_title', 'accTitle\\s*:\\s*'),
  gantt('acc_descr', 'accDescr\\s*:\\s*'),
  gantt('acc_descr_multiline', 'accDescr\\s*\\{\\s*'),
  gantt('comment', '%%(?!\\{)*[^\\n]*'),
  gantt('comment', '[^\\}]%%*[^\\n]*'),
  gantt('comment', '%%*[^\\n]*[\\n]*'),
  gantt('NL', '[\\n]+'),
  gantt('space', '\\s+'),
  gantt('comment', '#[^\\n]*'),
  gantt('comment', '%%[^\\n]*'),
  gantt('href', 'href[\\s]+["]'),
  gantt('call', 'call[\\s]+'),
  gantt('click', 'click[\\s]+'),
  gantt('gantt', 'gantt'),
  gantt('dateFormat', 'dateFormat\\s[^#\\n;]+'),
  gantt('inclusiveEndDates', 'inclusiveEndDates'),
  gantt('topAxis', 'topAxis'),
  gantt('axisFormat', 'axisFormat\\s[^#\\n;]+'),
  gantt('tickInterval', 'tickInterval\\s[^#\\n;]+'),
  gantt('includes', 'includes\\s[^#\\n;]+'),
  gantt('excludes', 'excludes\\s[^#\\n;]+'),
  gantt('todayMarker', 'todayMarker\\s[^\\n;]+'),
  gantt('weekday', 'weekday\\s+(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday)'),
  gantt('weekend', 'weekend\\s+(?:friday|saturday)'),
  gantt('date', '\\d\\d\\d\\d-\\d\\d-\\d\\d'),
  gantt('title', 'title\\s[^#\\n;]+'),
  gantt('accDescription', 'accDescription\\s[^#\\n;]+'),
  gantt('section', 'section\\s[^#:\\n;]+'),
  gantt('taskTxt', '[^#:\\n;]+'),
  gantt('taskData', ':[^#\\n;]+'),
  gantt(':', ':'),
];

/** The tokens of one line, skipping spaces and comments. */
export function ganttTokens(line: string): { token: string; text: string }[] {
  const tokens: { token: string; text: string }[] = [];
  let rest = line;
  while (rest.length > 0) {
    const rule = GANTT_RULES.find((r) => r.pattern.test(rest));
    if (rule === undefined) {
      tokens.push({ token: 'INVALID', text: rest[0]! });
      rest = rest.slice(1);
      continue;
    }
    const text = rule.pattern.exec(rest)![0];
    if (rule.token !== 'space' && rule.token !== 'comment') tokens.push({ token: rule.token, text });
    rest = rest.slice(text.length);
  }
  return tokens;
}

const TAGS = new Set(['active', 'done', 'crit', 'milestone']);

/** A task as ganttDb.addTask reads it: tags first, then `start, end` in the `x` date format (Unix ms). */
export interface GanttTask {
  readonly name: string;
  readonly tags: readonly string[];
  readonly start: number;
  readonly end: number;
}

/**
 * Parses a chart the way Mermaid would read it, and throws on anything it would reject or read
 * differently: a line that is not exactly one statement, a date that is not an integer in ms
 * (`dateFormat x`), an end before its start.
 */
export function parseGantt(chart: string): {
  dateFormat: string;
  axisFormat: string;
  sections: string[];
  tasks: (GanttTask & { section: string })[];
} {
  const lines = chart.split('\n');
  if (lines[0] !== 'gantt') throw new Error(`a gantt chart starts with "gantt", got ${JSON.stringify(lines[0])}`);
  let dateFormat = '';
  let axisFormat = '';
  let section = '';
  const sections: string[] = [];
  const tasks: (GanttTask & { section: string })[] = [];
  for (const line of lines.slice(1)) {
    const tokens = ganttTokens(line);
    if (tokens.length === 0) continue;
    const [first, second] = tokens;
    const kinds = tokens.map((t) => t.token).join(' ');
    if (kinds === 'dateFormat') dateFormat = first!.text.slice(11).trim();
    else if (kinds === 'axisFormat') axisFormat = first!.text.slice(11).trim();
    else if (kinds === 'title') continue;
    else if (kinds === 'section') {
      section = first!.text.slice(8);
      sections.push(section);
    } else if (kinds === 'taskTxt taskData') {
      const data = second!.text
        .slice(1)
        .split(',')
        .map((part) => part.trim());
      const tags: string[] = [];
      while (data.length > 0 && TAGS.has(data[0]!)) tags.push(data.shift()!);
      if (data.length !== 2) throw new Error(`expected "start, end" after the tags in ${JSON.stringify(line)}`);
      const [start, end] = data.map((part) => {
        if (!/^-?\d+$/.test(part))
          throw new Error(
            `${JSON.stringify(part)} is not a Unix time in ms (dateFormat x), in ${JSON.stringify(line)}`,
          );
        return Number(part);
      }) as [number, number];
      if (end < start) throw new Error(`the task ends before it starts: ${JSON.stringify(line)}`);
      tasks.push({ name: first!.text, tags, start, end, section });
    } else {
      throw new Error(`Mermaid would read ${JSON.stringify(line)} as [${kinds}], which is not one statement`);
    }
  }
  if (dateFormat !== 'x') throw new Error(`expected "dateFormat x", got ${JSON.stringify(dateFormat)}`);
  return { dateFormat, axisFormat, sections, tasks };
}
