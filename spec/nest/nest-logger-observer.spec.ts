import { NotFoundException, type LoggerService } from '@nestjs/common';
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
    await dag.invoke(undefined, { observer: nestLoggerObserver(logger), runId: 'r1' });
    expect(logger.lines).toEqual([
      'log: run r1 started (2 nodes)',
      expect.stringMatching(/^debug: run r1: node "a" fulfilled in \d+\.\d ms$/),
      expect.stringMatching(/^debug: run r1: node "b" fulfilled in \d+\.\d ms$/),
      expect.stringMatching(/^log: run r1 fulfilled in \d+\.\d ms$/),
    ]);
  });

  it('logs retries at warn and a failure once, at error on the node; the run line only names the node', async () => {
    const logger = recordingLogger();
    const dag = buildDag((tm) => {
      tm.with({ name: 'flaky', retry: 1 }).addNode(() => {
        throw new Error('down');
      });
    });
    await expect(dag.invoke(undefined, { observer: nestLoggerObserver(logger), runId: 'r1' })).rejects.toBeInstanceOf(
      NodeFailedError,
    );
    expect(logger.lines).toEqual([
      'log: run r1 started (1 nodes)',
      'warn: run r1: node "flaky" attempt 1 failed: down; retrying in 0.0 ms',
      expect.stringMatching(/^error: run r1: node "flaky" rejected in \d+\.\d ms after 2 attempts: down$/),
      expect.stringMatching(/^log: run r1 rejected in \d+\.\d ms: node "flaky" failed$/),
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
    await expect(dag.invoke(undefined, { observer: nestLoggerObserver(logger), runId: 'r1' })).rejects.toThrow('no');
    expect(logger.lines).toContainEqual(
      expect.stringMatching(/^debug: run r1: node "slow" stopped after \d+\.\d ms: the run ended first$/),
    );
  });

  it('logs an HttpException below 500 at warn without a stack, and a run stopped by its signal at warn', async () => {
    const logger = recordingLogger();
    const errors: unknown[] = [];
    logger.error = (message: unknown, stack?: unknown) => void errors.push(message, stack);
    const dag = buildDag((tm) => {
      tm.with({ name: 'find' }).addNode(() => {
        throw new NotFoundException('no user u7');
      });
    });
    await expect(dag.invoke(undefined, { observer: nestLoggerObserver(logger), runId: 'r1' })).rejects.toBeInstanceOf(
      NodeFailedError,
    );
    expect(logger.lines).toEqual([
      'log: run r1 started (1 nodes)',
      expect.stringMatching(/^warn: run r1: node "find" rejected in \d+\.\d ms: no user u7$/),
      expect.stringMatching(/^log: run r1 rejected in \d+\.\d ms: node "find" failed$/),
    ]);
    expect(errors).toEqual([]);

    logger.lines.length = 0;
    const never = buildDag((tm) => {
      tm.with({ name: 'wait' }).addNode(() => new Promise(() => {}));
    });
    const controller = new AbortController();
    const running = never.invoke(undefined, {
      observer: nestLoggerObserver(logger),
      signal: controller.signal,
      runId: 'r2',
    });
    controller.abort();
    await expect(running).rejects.toMatchObject({ name: 'AbortError' });
    expect(logger.lines.at(-1)).toMatch(/^warn: run r2 rejected in \d+\.\d ms: /);
    expect(errors).toEqual([]);
  });

  it('falls back to log for a logger without debug', async () => {
    const lines: string[] = [];
    const logger: LoggerService = { log: (m) => lines.push(`log: ${m}`), error: () => {}, warn: () => {} };
    const dag = buildDag((tm) => {
      tm.with({ name: 'only' }).addNode(() => 1);
    });
    await dag.invoke(undefined, { observer: nestLoggerObserver(logger), runId: 'r1' });
    expect(lines).toContainEqual(expect.stringMatching(/^log: run r1: node "only" fulfilled in/));
  });
});
