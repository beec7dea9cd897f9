import { closestName } from '../../lib/errors/closest-name';
import { levenshtein } from '../../lib/errors/levenshtein';

describe('levenshtein', () => {
  it.each([
    ['', '', 0],
    ['abc', '', 3],
    ['', 'abc', 3],
    ['kitten', 'sitting', 3],
    ['moonUrl', 'moonUrll', 1],
    ['flaw', 'lawn', 2],
    ['same', 'same', 0],
  ])('distance(%j, %j) is %i', (a, b, distance) => {
    expect(levenshtein(a, b)).toBe(distance);
    expect(levenshtein(b, a)).toBe(distance);
  });
});

describe('closestName', () => {
  const names = ['moonUrl', 'moonEvent', 'moonInsert', 'log'];

  it('suggests a close name for a typo', () => {
    expect(closestName('moonUrll', names)).toBe('moonUrl');
    expect(closestName('monEvent', names)).toBe('moonEvent');
  });

  it('suggests a name that differs only by case', () => {
    expect(closestName('MOONINSERT', names)).toBe('moonInsert');
  });

  it('suggests nothing when no name is close', () => {
    expect(closestName('database', names)).toBeUndefined();
    expect(closestName('x', [])).toBeUndefined();
  });
});
