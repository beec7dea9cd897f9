import type { LoggerService } from '@nestjs/common';
import { buildDag, NodeFailedError } from 'async-dag';
import { nestLoggerObserver } from 'async-dag/nest';

/** A logger that records each line with its level. */
function recordingLogger(): LoggerService & { lines: string[] } {
  const lines: string[] = [];
  const at = (level: string) => (message: unknown) => void lines.push(`${level}: ${String(message)}`);
  return { lines, log: at('log'), error: at('error'), warn: at('warn'), debug: at('debug'), verbose: at('verbose') };
}

describe('nestLoggerObserver', () => {
  it('logs run start and end at log, and each node end with its duration at debug', async () => {
    const logger = recordingLogger();
    const dag = buildDag((tm) => {
      const a = tm.with({ name: 'a' }).addNode(() => 1);
      tm.with({ name: 'b' }).addNode(async (x: number) => x + 1, a);
    });
    await dag.invoke(undefined, { observer: nestLoggerObserver(logger) });
    expect(logger.lines).toEqual([
      'log: run started (2 nodes)',
      expect.stringMatching(/^debug: node "a" fulfilled in \d+\.\d ms$/),
      expect.stringMatching(/^debug: node "b" fulfilled in \d+\.\d ms$/),
      expect.stringMatching(/^log: run fulfilled in \d+\.\d ms$/),
    ]);
  });

  it('logs retries at warn and a failure at error, for the node and for the run', async () => {
    const logger = recordingLogger();
    const dag = buildDag((tm) => {
      tm.with({ name: 'flaky', retry: 1 }).addNode(() => {
        throw new Error('down');
      });
    });
    await expect(dag.invoke(undefined, { observer: nestLoggerObserver(logger) })).rejects.toBeInstanceOf(
      NodeFailedError,
    );
    expect(logger.lines).toEqual([
      'log: run started (1 nodes)',
      'warn: node "flaky" attempt 1 failed: down; retrying in 0.0 ms',
      expect.stringMatching(/^error: node "flaky" rejected in \d+\.\d ms after 2 attempts: down$/),
      expect.stringMatching(/^error: run rejected in \d+\.\d ms: Node "flaky" failed: down$/),
    ]);
  });

  it('logs a node that the run stopped while it was in flight at debug', async () => {
    const logger = recordingLogger();
    const dag = buildDag((tm) => {
      tm.with({ name: 'slow' }).addNode(() => new Promise((resolve) => setTimeout(resolve, 20)));
      tm.with({ name: 'broken' }).addNode(async () => {
        throw new Error('no');
      });
    });
    await expect(dag.invoke(undefined, { observer: nestLoggerObserver(logger) })).rejects.toThrow('no');
    expect(logger.lines).toContainEqual(
      expect.stringMatching(/^debug: node "slow" stopped after \d+\.\d ms: the run ended first$/),
    );
  });

  it('falls back to log for a logger without debug', async () => {
    const lines: string[] = [];
    const logger: LoggerService = { log: (m) => lines.push(`log: ${m}`), error: () => {}, warn: () => {} };
    const dag = buildDag((tm) => {
      tm.with({ name: 'only' }).addNode(() => 1);
    });
    await dag.invoke(undefined, { observer: nestLoggerObserver(logger) });
    expect(lines).toContainEqual(expect.stringMatching(/^log: node "only" fulfilled in/));
  });
});
