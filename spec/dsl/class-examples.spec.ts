import { main as definitionErrors } from '../../examples/class-definition-errors';
import { main as immediates } from '../../examples/class-immediates';
import { main as inheritance } from '../../examples/class-inheritance';
import { main as invokeDag } from '../../examples/class-invoke-dag';
import { main as typedResults } from '../../examples/class-typed-results';

function collect(): { lines: string[]; log: (line: string) => void } {
  const lines: string[] = [];
  return { lines, log: (line) => lines.push(line) };
}

describe('class DSL examples', () => {
  it('class-immediates: reads fields and getters at each invocation and calls methods with params', async () => {
    const { lines, log } = collect();
    await immediates(log);
    expect(lines).toEqual(['Hello user 1 (en, invocation 1)', 'Hello user 2 (fr, invocation 2)']);
  });

  it('class-inheritance: runs overrides, replaced declarations and added nodes', async () => {
    const { lines, log } = collect();
    expect(await inheritance(log)).toEqual(['saved user-7', 'saved user-8 (checked by audit)']);
    expect(lines[2]).toBe(
      'id <- []\nrecord <- [id]\nvalidate <- [record]\nsave <- [record, validate, auditor]\nauditor <- []',
    );
  });

  it('class-invoke-dag: runs a class that extends something else', async () => {
    const { lines, log } = collect();
    expect(await invokeDag(log)).toBe(5);
    expect(lines).toEqual(['mean: 5']);
  });

  it('class-definition-errors: reports an unknown dependency with a suggestion, a cycle, and the same error again', () => {
    const { lines, log } = collect();
    const messages = definitionErrors(log);
    expect(lines).toHaveLength(3);
    expect(lines[0]).toBe(
      'UNKNOWN_DEPENDENCY: Checkout: "total" depends on "carts", which is not a node or an immediate of Checkout. Did you mean "cart"?',
    );
    expect(lines[1]).toMatch(/^CYCLE: Loop: the dependencies form a cycle: a -> b -> c -> a /);
    expect(lines[2]).toBe(lines[0]);
    expect(messages[2]).toBe(messages[0]);
  });

  it('class-typed-results: reads typed values, statuses, and UNKNOWN_NODE for a name that is not a node', async () => {
    const { lines, log } = collect();
    expect(await typedResults(log)).toBe('20 EUR');
    expect(lines).toEqual(['10, 20, 12 -> 20 EUR', 'fulfilled', 'UNKNOWN_NODE']);
  });
});
