// Before: a build pipeline with p-graph. Edges are listed apart from the tasks, and values
// travel through a shared object the tasks write to and read from.
// #region docs
import { PGraph, type DependencyList, type PGraphNodeRecord } from 'p-graph';

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Runs the pipeline with p-graph and returns the published artefact's description. */
export async function main(log: (line: string) => void = console.log): Promise<string> {
  const results: { config?: { target: string }; bundle?: string; tests?: number } = {};

  const nodes: PGraphNodeRecord = {
    config: {
      run: async () => {
        results.config = { target: 'es2022' };
      },
    },
    compile: {
      run: async () => {
        await sleep(20);
        results.bundle = `bundle.${results.config!.target}.js`;
      },
      priority: 1,
    },
    lint: {
      run: async () => {
        await sleep(5);
      },
    },
    test: {
      run: async () => {
        await sleep(10);
        results.tests = 42;
      },
    },
    publish: {
      run: async () => {
        log(`published ${results.bundle} (${results.tests} tests passed)`);
      },
    },
  };
  const dependencies: DependencyList = [
    ['config', 'compile'],
    ['config', 'lint'],
    ['compile', 'test'],
    ['test', 'publish'],
    ['lint', 'publish'],
  ];

  await new PGraph(nodes, dependencies).run({ concurrency: 2 });
  return `${results.bundle} (${results.tests} tests passed)`;
}
// #endregion docs

if (require.main === module) void main();
