// The docs cannot rot: every TypeScript snippet in README.md and docs/**/*.md is a copy of an
// example file that a spec runs, and every relative link points at something that exists.
//
// Convention: a ```ts (or ```typescript) block's FIRST line is a comment naming an example file,
// `// examples/builder-basics.ts`. The rest of the block equals that file's region between the
// lines `// #region docs` and `// #endregion docs` (marker lines excluded), or the whole file
// when it has no such region; both sides are compared after trimming each end. A region inside a
// function is indented; so that docs can show it flush left, the common indentation of both
// sides (and trailing spaces) is removed before comparing: a verbatim copy passes too.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';

const root = resolve(__dirname, '..');

/** A fenced code block of a markdown file. `line` is the 1-based line of its opening fence. */
interface CodeBlock {
  readonly lang: string;
  readonly line: number;
  readonly lines: readonly string[];
}

/** A link target found in a markdown file, outside code. */
interface Link {
  readonly target: string;
  readonly line: number;
}

interface Markdown {
  readonly blocks: readonly CodeBlock[];
  readonly links: readonly Link[];
  readonly headings: readonly string[];
}

/** README.md and every markdown file under docs/, as paths relative to the repository root. */
function markdownFiles(): string[] {
  const found: string[] = [];
  if (existsSync(join(root, 'README.md'))) found.push('README.md');
  const walk = (dir: string): void => {
    if (!existsSync(dir)) return;
    for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const full = join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.name.endsWith('.md')) found.push(relative(root, full).split(sep).join('/'));
    }
  };
  walk(join(root, 'docs'));
  return found;
}

// Fences may be indented (inside a list item); the closing fence need not match the indentation.
const FENCE = /^\s*(`{3,}|~{3,})\s*([^\s`]*)/;

/** Splits a markdown file into fenced code blocks, and links and headings found outside them. */
function parseMarkdown(text: string): Markdown {
  const blocks: CodeBlock[] = [];
  const links: Link[] = [];
  const headings: string[] = [];
  const lines = text.replace(/\r\n?/g, '\n').split('\n');
  let open: { fence: string; lang: string; line: number; lines: string[] } | undefined;
  lines.forEach((line, i) => {
    const fence = FENCE.exec(line);
    if (open !== undefined) {
      const closing =
        fence !== null && fence[1]![0] === open.fence[0] && fence[1]!.length >= open.fence.length && fence[2] === '';
      if (closing) {
        blocks.push({ lang: open.lang, line: open.line, lines: open.lines });
        open = undefined;
      } else {
        open.lines.push(line);
      }
      return;
    }
    if (fence !== null) {
      open = { fence: fence[1]!, lang: fence[2]!.toLowerCase(), line: i + 1, lines: [] };
      return;
    }
    const heading = /^ {0,3}#{1,6}\s+(.*?)\s*#*\s*$/.exec(line);
    if (heading !== null) headings.push(heading[1]!);
    // Inline code spans may show link syntax without being links.
    const prose = line.replace(/(`+)[^`]*?\1/g, '');
    for (const match of prose.matchAll(/!?\[[^\]]*\]\(\s*<?([^\s)>]+)>?(?:\s+"[^"]*")?\s*\)/g)) {
      links.push({ target: match[1]!, line: i + 1 });
    }
    const reference = /^ {0,3}\[[^\]]+\]:\s*<?(\S+?)>?(?:\s+"[^"]*")?\s*$/.exec(prose);
    if (reference !== null) links.push({ target: reference[1]!, line: i + 1 });
    for (const match of prose.matchAll(/<(?:a|img)\s[^>]*?(?:href|src)="([^"]+)"/g)) {
      links.push({ target: match[1]!, line: i + 1 });
    }
  });
  if (open !== undefined) blocks.push({ lang: open.lang, line: open.line, lines: open.lines });
  return { blocks, links, headings };
}

/** GitHub's anchor for a heading: lower case, punctuation dropped, spaces become hyphens. */
function slug(heading: string): string {
  const text = heading
    .replace(/!?\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/<[^>]+>/g, '')
    .trim()
    .toLowerCase();
  return text.replace(/[^\p{L}\p{N}\p{M}\p{Pc} -]/gu, '').replace(/ /g, '-');
}

function anchorsOf(headings: readonly string[]): Set<string> {
  const anchors = new Set<string>();
  const seen = new Map<string, number>();
  for (const heading of headings) {
    const base = slug(heading);
    const count = seen.get(base) ?? 0;
    seen.set(base, count + 1);
    anchors.add(count === 0 ? base : `${base}-${count}`);
  }
  return anchors;
}

/** Trims both ends, trailing spaces, and the indentation every non-blank line shares. */
function normalise(text: string): string {
  const lines = text
    .replace(/\r\n?/g, '\n')
    .split('\n')
    .map((line) => line.trimEnd());
  const indents = lines.filter((line) => line !== '').map((line) => /^[ \t]*/.exec(line)![0].length);
  const common = indents.length === 0 ? 0 : Math.min(...indents);
  return lines
    .map((line) => line.slice(common))
    .join('\n')
    .trim();
}

const REGION_START = '// #region docs';
const REGION_END = '// #endregion docs';

/** The part of an example file that a doc shows: its docs region, or the whole file (untrimmed). */
function shownPart(source: string): { ok: true; text: string } | { ok: false; problem: string } {
  const lines = source.replace(/\r\n?/g, '\n').split('\n');
  const starts = lines.flatMap((line, i) => (line.trim() === REGION_START ? [i] : []));
  const ends = lines.flatMap((line, i) => (line.trim() === REGION_END ? [i] : []));
  if (starts.length === 0 && ends.length === 0) return { ok: true, text: source };
  if (starts.length !== 1 || ends.length !== 1 || ends[0]! < starts[0]!) {
    return {
      ok: false,
      problem:
        `it must have exactly one \`${REGION_START}\` line followed by one \`${REGION_END}\` line ` +
        `(found ${starts.length} and ${ends.length})`,
    };
  }
  return { ok: true, text: lines.slice(starts[0]! + 1, ends[0]!).join('\n') };
}

/** A short diff around the first line where `actual` (the doc) and `expected` (the example) part. */
function shortDiff(expected: string, actual: string): string {
  const want = expected.split('\n');
  const got = actual.split('\n');
  let first = 0;
  while (first < want.length && first < got.length && want[first] === got[first]) first++;
  let tailWant = want.length - 1;
  let tailGot = got.length - 1;
  while (tailWant >= first && tailGot >= first && want[tailWant] === got[tailGot]) {
    tailWant--;
    tailGot--;
  }
  const out: string[] = [];
  for (let i = Math.max(0, first - 2); i < first; i++) out.push(`  ${want[i]}`);
  const removed = want.slice(first, tailWant + 1);
  const added = got.slice(first, tailGot + 1);
  const limit = 8;
  for (const line of removed.slice(0, limit)) out.push(`- ${line}`);
  if (removed.length > limit) out.push(`- ... (${removed.length - limit} more lines)`);
  for (const line of added.slice(0, limit)) out.push(`+ ${line}`);
  if (added.length > limit) out.push(`+ ... (${added.length - limit} more lines)`);
  for (let i = tailWant + 1; i < Math.min(want.length, tailWant + 3); i++) out.push(`  ${want[i]}`);
  return `first difference at line ${first + 1} of the snippet (- example file, + doc):\n${out.join('\n')}`;
}

/** Why a ```ts block breaks the convention, or `undefined` when it keeps it. */
function checkBlock(
  doc: string,
  block: CodeBlock,
  readExample: (path: string) => string | undefined,
): string | undefined {
  const where = `${doc}, the ${block.lang} block at line ${block.line}`;
  const first = block.lines[0]?.trim() ?? '';
  const named = /^\/\/\s*(examples\/\S+\.[cm]?tsx?)\s*$/.exec(first);
  if (named === null) {
    return (
      `${where}: its first line must be a comment naming the example file it shows, ` +
      `like \`// examples/builder-basics.ts\`; found ${JSON.stringify(first)}.`
    );
  }
  const path = named[1]!;
  const source = readExample(path);
  if (source === undefined) return `${where}: it names ${path}, which does not exist.`;
  const part = shownPart(source);
  if (!part.ok) return `${where}: ${path} has a broken docs region: ${part.problem}.`;
  const shown = block.lines.slice(1).join('\n');
  if (shown.trim() === part.text.trim() || normalise(shown) === normalise(part.text)) return undefined;
  const what = part.text === source ? 'the whole file' : 'its `// #region docs`';
  return (
    `${where} differs from ${what} of ${path}. Copy the example into the doc (or fix the example).\n` +
    shortDiff(normalise(part.text), normalise(shown))
  );
}

/** Why a link is broken, or `undefined` when its target exists. */
function checkLink(doc: string, link: Link, anchorsIn: (path: string) => Set<string> | undefined): string | undefined {
  const { target } = link;
  if (/^[a-z][a-z0-9+.-]*:/i.test(target) || target.startsWith('//')) return undefined;
  const hashAt = target.indexOf('#');
  const pathPart = (hashAt === -1 ? target : target.slice(0, hashAt)).replace(/\?.*$/, '');
  const anchor = hashAt === -1 ? '' : decodeURIComponent(target.slice(hashAt + 1));
  const file = pathPart === '' ? join(root, doc) : resolve(dirname(join(root, doc)), decodeURIComponent(pathPart));
  const where = `${doc} line ${link.line}: the link to "${target}"`;
  if (!file.startsWith(root)) return `${where} leaves the repository.`;
  if (!existsSync(file)) return `${where} points at ${relative(root, file)}, which does not exist.`;
  if (anchor !== '' && file.endsWith('.md') && statSync(file).isFile()) {
    const anchors = anchorsIn(file);
    if (anchors !== undefined && !anchors.has(anchor.toLowerCase())) {
      return (
        `${where} names the heading #${anchor}, which ${relative(root, file)} does not have. ` +
        `Its headings: ${[...anchors].map((a) => `#${a}`).join(', ') || '(none)'}.`
      );
    }
  }
  return undefined;
}

const docs = markdownFiles();
const parsed = new Map(docs.map((doc) => [doc, parseMarkdown(readFileSync(join(root, doc), 'utf8'))]));

function readExample(path: string): string | undefined {
  const file = join(root, path);
  return existsSync(file) && statSync(file).isFile() ? readFileSync(file, 'utf8') : undefined;
}

function anchorsIn(file: string): Set<string> | undefined {
  const doc = relative(root, file).split(sep).join('/');
  const markdown = parsed.get(doc) ?? parseMarkdown(readFileSync(file, 'utf8'));
  return anchorsOf(markdown.headings);
}

const isTypeScript = (block: CodeBlock): boolean => block.lang === 'ts' || block.lang === 'typescript';

describe('the docs', () => {
  it('include README.md and the pages under docs/', () => {
    expect(docs).toContain('README.md');
    expect(docs.filter((doc) => doc.startsWith('docs/')).length).toBeGreaterThan(0);
  });

  describe.each(docs)('%s', (doc) => {
    const markdown = parsed.get(doc)!;
    const snippets = markdown.blocks.filter(isTypeScript);

    it('shows in every TypeScript block an exact copy of the example file it names', () => {
      const problems = snippets.flatMap((block) => checkBlock(doc, block, readExample) ?? []);
      if (problems.length > 0) throw new Error(`${problems.length} stale snippet(s):\n\n${problems.join('\n\n')}`);
    });

    it('shows only examples that a spec runs', () => {
      const named = [
        ...new Set(
          snippets.flatMap(
            (block) => /^\/\/\s*examples\/(\S+?)\.[cm]?tsx?\s*$/.exec(block.lines[0]?.trim() ?? '')?.[1] ?? [],
          ),
        ),
      ];
      const unrun = named.filter((name) => !specsMention(`examples/${name}`));
      if (unrun.length > 0) {
        throw new Error(
          `${doc} shows example(s) that no spec imports: ${unrun.map((n) => `examples/${n}.ts`).join(', ')}. ` +
            'Add a spec that runs each one and asserts what it prints or returns.',
        );
      }
    });

    it('links only to files (and headings) that exist', () => {
      const problems = markdown.links.flatMap((link) => checkLink(doc, link, anchorsIn) ?? []);
      if (problems.length > 0) throw new Error(`${problems.length} broken link(s):\n${problems.join('\n')}`);
    });
  });
});

let specSources: string[] | undefined;

/** Whether some spec (or the Nest example app's specs) imports `examples/<name>`. */
function specsMention(path: string): boolean {
  if (specSources === undefined) {
    specSources = [];
    const walk = (dir: string): void => {
      if (!existsSync(dir)) return;
      for (const entry of readdirSync(dir, { withFileTypes: true })) {
        const full = join(dir, entry.name);
        if (entry.isDirectory()) {
          if (entry.name !== 'node_modules') walk(full);
        } else if (entry.name.endsWith('.spec.ts')) {
          specSources!.push(readFileSync(full, 'utf8'));
        }
      }
    };
    walk(join(root, 'spec'));
    walk(join(root, 'examples'));
  }
  const pattern = new RegExp(
    `['"\`](?:\\.{1,2}/)+(?:[\\w.-]+/)*?${path.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}(?:\\.[cm]?tsx?)?['"\`]`,
  );
  return specSources.some((source) => pattern.test(source));
}

/** Every `.ts` file under examples/, except the Nest example app (which has its own specs). */
function exampleFiles(): string[] {
  const found: string[] = [];
  const walk = (dir: string): void => {
    if (!existsSync(dir)) return;
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const full = join(dir, entry.name);
      if (entry.isDirectory()) {
        if (entry.name !== 'node_modules' && entry.name !== 'nest-app') walk(full);
      } else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.spec.ts') && !entry.name.endsWith('.d.ts')) {
        found.push(relative(root, full).split(sep).join('/'));
      }
    }
  };
  walk(join(root, 'examples'));
  return found.sort();
}

describe('the examples', () => {
  it('are each run by a spec, directly or through an example a spec runs', () => {
    const files = exampleFiles();
    const run = new Set(files.filter((file) => specsMention(file.replace(/\.ts$/, ''))));
    // An example imported by a run example runs too (shared services, helpers).
    for (let grew = true; grew;) {
      grew = false;
      for (const file of files) {
        if (run.has(file)) continue;
        const base = file.replace(/^.*\//, '').replace(/\.ts$/, '');
        const importer = [...run].find((other) =>
          new RegExp(`from ['"]\\./${base}(\\.ts)?['"]`).test(readFileSync(join(root, other), 'utf8')),
        );
        if (importer !== undefined) {
          run.add(file);
          grew = true;
        }
      }
    }
    const unrun = files.filter((file) => !run.has(file));
    if (unrun.length > 0) {
      throw new Error(
        `${unrun.length} example(s) that no spec runs: ${unrun.join(', ')}. ` +
          'Every example is executed by a spec that asserts what it prints or returns.',
      );
    }
  });
});

describe('the docs checker', () => {
  const example = [
    '// A header the doc does not show.',
    "import { buildDag } from 'async-dag';",
    REGION_START,
    'const dag = buildDag((tm) => {',
    '  tm.addNode(() => 1);',
    '});',
    REGION_END,
    'void dag;',
  ].join('\n');
  const read = (path: string) => (path === 'examples/x.ts' ? example : undefined);
  const block = (...lines: string[]): CodeBlock => ({ lang: 'ts', line: 7, lines });

  it('accepts a block that equals the docs region of the example it names', () => {
    expect(
      checkBlock(
        'doc.md',
        block('// examples/x.ts', '', 'const dag = buildDag((tm) => {', '  tm.addNode(() => 1);', '});', ''),
        read,
      ),
    ).toBeUndefined();
  });

  it('accepts the region shown flush left, or indented as it is in the file', () => {
    const indented = `function main() {\n  ${REGION_START}\n  const a = 1;\n  if (a) {\n    log(a);\n  }\n  ${REGION_END}\n}\n`;
    const readIndented = () => indented;
    expect(
      checkBlock('doc.md', block('// examples/i.ts', 'const a = 1;', 'if (a) {', '  log(a);', '}'), readIndented),
    ).toBeUndefined();
    expect(
      checkBlock('doc.md', block('// examples/i.ts', 'const a = 1;', '  if (a) {', '    log(a);', '  }'), readIndented),
    ).toBeUndefined();
    expect(
      checkBlock('doc.md', block('// examples/i.ts', 'const a = 1;', 'if (a) {', 'log(a);', '}'), readIndented),
    ).toMatch(/differs/);
  });

  it('compares with the whole file when the example has no region', () => {
    expect(
      checkBlock('doc.md', block('// examples/y.ts', 'const a = 1;'), (p) =>
        p === 'examples/y.ts' ? '\nconst a = 1;\n' : undefined,
      ),
    ).toBeUndefined();
  });

  it('rejects a block whose first line does not name an example', () => {
    expect(checkBlock('doc.md', block('const a = 1;'), read)).toMatch(
      /doc\.md, the ts block at line 7: its first line must be a comment naming/,
    );
  });

  it('rejects a block naming an example that does not exist', () => {
    expect(checkBlock('doc.md', block('// examples/missing.ts', 'x'), read)).toMatch(
      /names examples\/missing\.ts, which does not exist/,
    );
  });

  it('rejects a stale block and shows where it differs', () => {
    const problem = checkBlock(
      'doc.md',
      block('// examples/x.ts', 'const dag = buildDag((tm) => {', '  tm.addNode(() => 2);', '});'),
      read,
    );
    expect(problem).toMatch(/differs from its `\/\/ #region docs` of examples\/x\.ts/);
    expect(problem).toContain('first difference at line 2');
    expect(problem).toContain('-   tm.addNode(() => 1);');
    expect(problem).toContain('+   tm.addNode(() => 2);');
  });

  it('rejects an example with an unbalanced region', () => {
    const broken = `${REGION_START}\nconst a = 1;\n`;
    expect(checkBlock('doc.md', block('// examples/z.ts', 'const a = 1;'), () => broken)).toMatch(/broken docs region/);
  });

  it('finds links outside code, and ignores link syntax inside code', () => {
    const markdown = parseMarkdown(
      [
        '# Title',
        'See [the builder](builder.md#options) and `[not](a-link.md)`.',
        '```ts',
        '// [nor](this.md)',
        '```',
        '[ref]: ./errors.md',
      ].join('\n'),
    );
    expect(markdown.links.map((l) => l.target)).toEqual(['builder.md#options', './errors.md']);
    expect(markdown.blocks).toEqual([{ lang: 'ts', line: 3, lines: ['// [nor](this.md)'] }]);
  });

  it('finds a snippet nested in a list item, and compares it without the list indentation', () => {
    const markdown = parseMarkdown(
      [
        '1. Build it:',
        '',
        '   ```ts',
        '   // examples/x.ts',
        '   const dag = buildDag((tm) => {',
        '     tm.addNode(() => 1);',
        '   });',
        '   ```',
      ].join('\n'),
    );
    expect(markdown.blocks).toHaveLength(1);
    expect(checkBlock('doc.md', markdown.blocks[0]!, read)).toBeUndefined();
  });

  it('rejects a relative link to a missing file or heading, and ignores web links', () => {
    const anchors = () => new Set(['a-heading']);
    expect(checkLink('README.md', { target: 'docs/nope.md', line: 3 }, anchors)).toMatch(
      /README\.md line 3: the link to "docs\/nope\.md" points at docs\/nope\.md, which does not exist/,
    );
    expect(checkLink('README.md', { target: 'README.md#elsewhere', line: 4 }, anchors)).toMatch(/does not have/);
    expect(checkLink('README.md', { target: 'README.md#a-heading', line: 4 }, anchors)).toBeUndefined();
    expect(checkLink('README.md', { target: 'https://example.com/x', line: 5 }, anchors)).toBeUndefined();
  });

  it('makes anchors the way GitHub does', () => {
    expect([...anchorsOf(['Fail fast vs. settle mode', '`invoke(params, options)`', 'Errors', 'Errors'])]).toEqual([
      'fail-fast-vs-settle-mode',
      'invokeparams-options',
      'errors',
      'errors-1',
    ]);
  });
});
