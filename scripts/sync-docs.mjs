// Copies each example's docs region into the markdown blocks that name it (`// examples/x.ts` as
// the block's first line), so that after an example changes the docs follow with one command:
// `npm run docs:sync`. spec/docs.spec.ts checks the same correspondence and fails on drift.
import { readFileSync, readdirSync, writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const REGION_START = '// #region docs';
const REGION_END = '// #endregion docs';

function shownPart(source) {
  const lines = source.replace(/\r\n?/g, '\n').split('\n');
  const start = lines.findIndex((line) => line.trim() === REGION_START);
  const end = lines.findIndex((line) => line.trim() === REGION_END);
  const part = start === -1 ? lines : lines.slice(start + 1, end);
  const indents = part.filter((line) => line.trim() !== '').map((line) => /^[ \t]*/.exec(line)[0].length);
  const common = indents.length === 0 ? 0 : Math.min(...indents);
  return part
    .map((line) => line.slice(common).trimEnd())
    .join('\n')
    .trim();
}

const docs = [
  'README.md',
  ...readdirSync(join(root, 'docs'))
    .filter((f) => f.endsWith('.md'))
    .map((f) => `docs/${f}`),
];
let changed = 0;
for (const doc of docs) {
  const path = join(root, doc);
  const text = readFileSync(path, 'utf8');
  const next = text.replace(/```ts\n(\/\/ (examples\/\S+\.ts)\n)([\s\S]*?)```/g, (block, first, example) => {
    const file = join(root, example);
    if (!existsSync(file)) return block;
    return '```ts\n' + first + shownPart(readFileSync(file, 'utf8')) + '\n```';
  });
  if (next !== text) {
    writeFileSync(path, next);
    changed++;
    console.log(`synced ${doc}`);
  }
}
console.log(`${changed} doc(s) changed`);
