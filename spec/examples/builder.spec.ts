import { main as basics } from '../../examples/builder-basics';
import { main as immediates } from '../../examples/builder-immediates';
import { main as loops } from '../../examples/builder-loops';
import { main as names } from '../../examples/builder-names';

function recorder(): { lines: string[]; log: (line: string) => void } {
  const lines: string[] = [];
  return { lines, log: (line) => lines.push(line) };
}

describe('examples/builder-basics', () => {
  it('computes both invocations of one graph, run concurrently', async () => {
    const { lines, log } = recorder();
    await expect(basics(log)).resolves.toEqual(['Ada: 2 orders, 42 in total', 'Grace: 2 orders, 54 in total']);
    expect(lines).toEqual(['Ada: 2 orders, 42 in total', 'Grace: 2 orders, 54 in total']);
  });
});

describe('examples/builder-immediates', () => {
  it('hands immediates, plain values and params to the nodes that list them', async () => {
    const { lines, log } = recorder();
    await expect(immediates(log)).resolves.toBe('HELLO, WORLD!');
    expect(lines).toEqual(['Hello, world.', 'HELLO, WORLD!', 'answer: 42']);
  });
});

describe('examples/builder-names', () => {
  it('names nodes after their functions, made unique, unless given a name', async () => {
    const { lines, log } = recorder();
    await expect(names(log)).resolves.toEqual(['inc', 'inc_2', 'node_2', 'double', 'fetchRate']);
    expect(lines[0]).toBe('inc, inc_2, node_2, double, fetchRate');
    expect(lines[1]).toContain('inc --> inc_2');
    expect(lines[1]).toMatch(/fetchRate.*timeout 50 ms, retry 2/);
    expect(lines.slice(2)).toEqual(['double = 6', 'fetchRate = 1.5 after 3 attempts']);
  });
});

describe('examples/builder-loops', () => {
  it('fans in a spread array of nodes built in a loop', async () => {
    const { lines, log } = recorder();
    await expect(loops(log)).resolves.toBe(400);
    expect(lines).toEqual(['eu: 120', 'us: 200', 'ap: 80', 'total: 400']);
  });
});
