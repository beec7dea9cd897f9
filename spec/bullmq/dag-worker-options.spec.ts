import { buildDag, Dag, node } from 'async-dag';
import { bullmqExecutor, DagWorker } from 'async-dag/bullmq';

// Misuse is refused at construction, before any connection is made (no Redis here).
const connection = { host: '127.0.0.1', port: 1, lazyConnect: true };

class Report extends Dag {
  @node({ queue: 'render' }) render() {
    return 1;
  }
}

describe('DagWorker options', () => {
  it('refuses two flows of one name with a TypeError', () => {
    const named = buildDag((tm) => void tm.with({ name: 'x', queue: 'render' }).addNode(() => 1), { name: 'Report' });
    expect(() => new DagWorker({ connection, queue: 'render', flows: [new Report(), named] })).toThrow(
      new TypeError(
        'Expected one flow per name in `flows`, got two named "Report" (flows[0] and flows[1]). Rename one (the class, or the builder graph\'s `name`).',
      ),
    );
  });

  it('refuses an unnamed builder graph, something that is not a flow, and bad options', () => {
    const unnamed = buildDag((tm) => void tm.addNode(() => 1));
    expect(() => new DagWorker({ connection, queue: 'render', flows: [unnamed] })).toThrow(/to have a name/);
    expect(() => new DagWorker({ connection, queue: 'render', flows: [{}] })).toThrow(
      /Expected `flows\[0\]` to be an instance of a Dag class/,
    );
    expect(() => new DagWorker({ connection, queue: '', flows: [] })).toThrow(TypeError);
    expect(() => new DagWorker({ connection, queue: 'q', flows: [], concurrency: 0 })).toThrow(
      'Expected `concurrency` to be an integer from 1 up, got `0` (number)',
    );
    expect(() => bullmqExecutor({ connection, prefix: '' })).toThrow(TypeError);
    expect(() => bullmqExecutor(undefined as never)).toThrow(TypeError);
  });
});
