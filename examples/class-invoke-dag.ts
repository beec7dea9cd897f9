// invokeDag: the class DSL on a class that already extends something else.
// #region docs
import { immediate, invokeDag, node } from 'async-dag';

class Repository {
  constructor(protected readonly rows: readonly number[]) {}
}

class Statistics extends Repository {
  @immediate values() {
    return this.rows;
  }
  @node('values') sum(values: readonly number[]) {
    return values.reduce((a, b) => a + b, 0);
  }
  @node('values') count(values: readonly number[]) {
    return values.length;
  }
  @node('sum', 'count') mean(sum: number, count: number) {
    return sum / count;
  }
}

export async function main(log: (line: string) => void = console.log): Promise<number> {
  // The class is scanned at its first invocation and cached.
  const result = await invokeDag(new Statistics([2, 4, 9]));
  log(`mean: ${result.get('mean')}`); // mean: 5
  return result.get('mean');
}
// #endregion docs

if (require.main === module) void main();
