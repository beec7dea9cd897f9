// After: the same job with the class DSL. Dependencies are typed parameters, the graph is
// checked once per class, and the result is typed by member.
// #region docs
import { Dag, node } from 'async-dag';

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Runs the job with async-dag and returns what it mailed. */
export async function main(log: (line: string) => void = console.log): Promise<string> {
  interface Params {
    userId: number;
  }

  class ExportJob extends Dag<Params> {
    @node() async getData() {
      await sleep(20);
      return ['row 1', 'row 2'];
    }
    @node() async makeFolder(p: Params) {
      return `/exports/${p.userId}`;
    }
    @node('getData', 'makeFolder') async writeFile(rows: string[], folder: string) {
      await sleep(5);
      return `${folder}/data.csv (${rows.length} rows)`;
    }
    @node('writeFile') async emailLink(file: string, p: Params) {
      return `mailed ${file} to user ${p.userId}`;
    }
  }

  const result = await new ExportJob().invoke({ userId: 7 });
  log(result.get('emailLink')); // typed as string
  return result.get('emailLink');
}
// #endregion docs

if (require.main === module) void main();
