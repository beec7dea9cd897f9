import { main as cancel } from '../../examples/invocation-cancel';
import { main as concurrency } from '../../examples/invocation-concurrency';
import { main as retry } from '../../examples/invocation-retry';
import { main as settle } from '../../examples/invocation-settle';

function recorder(): { lines: string[]; log: (line: string) => void } {
  const lines: string[] = [];
  return { lines, log: (line) => lines.push(line) };
}

describe('examples/invocation-concurrency', () => {
  it('starts the higher priority first, then the longest path, learned from the first run', async () => {
    const { lines, log } = recorder();
    const runs = await concurrency(log);
    expect(runs).toEqual([
      ['ping', 'extract', 'report', 'load'],
      ['ping', 'report', 'extract', 'load'],
    ]);
    expect(lines).toEqual(['run 1: ping -> extract -> report -> load', 'run 2: ping -> report -> extract -> load']);
  });
});

describe('examples/invocation-cancel', () => {
  it('rejects with an AbortError, aborts the running node and starts no other', async () => {
    const { lines, log } = recorder();
    await expect(cancel(log)).resolves.toEqual(['false']);
    expect(lines).toEqual([
      'download saw the abort',
      'AbortError ABORTED: The run was aborted: user pressed cancel',
      'parse ran: false',
      'already aborted: ABORTED',
    ]);
  });
});

describe('examples/invocation-retry', () => {
  it('retries a timed-out attempt, and stops retrying when the policy says so', async () => {
    const { lines, log } = recorder();
    await expect(retry(log)).resolves.toEqual({ quote: 42, attempts: 2, lookups: 3 });
    expect(lines).toEqual([
      'quote: attempt 1 failed (NODE_TIMEOUT), next in 0 ms',
      'quote = 42 after 2 attempts',
      'lookup: attempt 1 failed (Error: HTTP 503), next in 10 ms',
      'lookup: attempt 2 failed (Error: HTTP 503), next in 20 ms',
      'lookup failed after 3 attempts: Error: HTTP 404',
    ]);
  });
});

describe('examples/invocation-settle', () => {
  it('rejects on the first failure by default, and settles every independent node with failFast: false', async () => {
    const { lines, log } = recorder();
    await settle(log);
    expect(lines).toEqual([
      'NODE_FAILED: node avatar, cause: image service is down',
      'partial: profile is skipped',
      'profile: fulfilled',
      'avatar: rejected',
      'card: skipped',
      'feed: fulfilled',
      'errors: avatar (image service is down)',
      'feed: 2 posts',
    ]);
  });
});
