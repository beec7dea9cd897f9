// The TypeScript snippets of README.md and docs/*.md, as a user would paste them: each one a file
// of its own in a fresh project. Used by scripts/check-package.mjs, which type-checks them
// against the packed package.
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** README.md and every page under docs/, as paths relative to `root`. */
export function docFiles(root) {
  const pages = readdirSync(join(root, 'docs'))
    .filter((name) => name.endsWith('.md'))
    .sort()
    .map((name) => `docs/${name}`);
  return ['README.md', ...pages];
}

/**
 * Every ```ts block of one Markdown text: `{ line, example, code }`, where `example` is the path
 * its first line names (`// examples/x.ts`) and `code` is the rest, without the list
 * indentation of a block nested in a list item.
 */
export function snippetsIn(markdown) {
  const lines = markdown.replace(/\r\n?/g, '\n').split('\n');
  const found = [];
  for (let i = 0; i < lines.length; i++) {
    const open = /^(\s*)(`{3,}|~{3,})\s*(ts|typescript)\s*$/.exec(lines[i]);
    if (open === null) continue;
    const [, indent, fence] = open;
    const body = [];
    let j = i + 1;
    for (; j < lines.length && lines[j].trim() !== fence; j++) {
      body.push(lines[j].startsWith(indent) ? lines[j].slice(indent.length) : lines[j].trimStart());
    }
    const named = /^\/\/\s*(examples\/\S+\.[cm]?tsx?)\s*$/.exec(body[0]?.trim() ?? '');
    found.push({ line: i + 1, example: named?.[1], code: body.slice(1).join('\n') + '\n' });
    i = j;
  }
  return found;
}

/**
 * Every snippet of the docs under `root`, as `{ doc, line, example, code, file }`: `file` is where
 * it goes in a scratch project, `<doc>/<example path>`. Each page gets a folder of its own, so a
 * snippet can import (`./users.service`) only what the same page shows: what a reader has.
 */
export function docSnippets(root) {
  const snippets = [];
  const unnamed = [];
  for (const doc of docFiles(root)) {
    const seen = new Set();
    for (const snippet of snippetsIn(readFileSync(join(root, doc), 'utf8'))) {
      if (snippet.example === undefined) {
        unnamed.push({ doc, ...snippet });
        continue;
      }
      if (seen.has(snippet.example)) continue;
      seen.add(snippet.example);
      const folder = doc.replace(/\.md$/, '').replace(/[^\w-]/g, '-');
      snippets.push({ doc, ...snippet, file: `${folder}/${snippet.example}` });
    }
  }
  return { snippets, unnamed };
}

/** Whether a snippet is written for standard TC39 decorators rather than the legacy ones. */
export const isTc39 = (snippet) => snippet.example.startsWith('examples/tc39/');

/**
 * Writes each snippet to `dir`, at its `file` (so that one shown file can import another one
 * shown on the same page, as the files of the Nest app do), and a tsconfig per decorator mode.
 * Returns the tsconfig files.
 */
export function writeSnippetProject(dir, snippets) {
  for (const snippet of snippets) {
    const file = join(dir, snippet.file);
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, snippet.code);
  }
  const base = {
    strict: true,
    noEmit: true,
    // What `tsc --init` and the Nest CLI give a CommonJS project: top-level await is an error there.
    module: 'node16',
    moduleResolution: 'node16',
    target: 'es2022',
    // Each snippet is a module of its own, even one without imports.
    moduleDetection: 'force',
    skipLibCheck: true,
    types: ['node', 'jest'],
  };
  const configs = [];
  const legacy = snippets.filter((s) => !isTc39(s)).map((s) => s.file);
  const tc39 = snippets.filter(isTc39).map((s) => s.file);
  const write = (name, files, decorators) => {
    if (files.length === 0) return;
    writeFileSync(
      join(dir, name),
      JSON.stringify({ compilerOptions: { ...base, ...decorators }, files }, null, 2) + '\n',
    );
    configs.push(name);
  };
  write('tsconfig.legacy.json', legacy, { experimentalDecorators: true, emitDecoratorMetadata: true });
  write('tsconfig.tc39.json', tc39, {});
  return configs;
}
