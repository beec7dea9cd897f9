// Waiting on conditions and child processes, for the specs that kill processes mid-run.
import type { ChildProcess } from 'node:child_process';
import { sleep } from './deferred';

/** Resolves once `check` holds (polled every 5 ms); rejects, naming `what`, after `ms`. */
export async function until(what: string, check: () => Promise<boolean>, ms = 20_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await sleep(5);
  }
}

/** Resolves once `child` has exited (at once if it has). */
export function exited(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((done) => child.once('exit', () => done()));
}

/** SIGKILLs `child` and resolves once it is gone. */
export async function killed(child: ChildProcess): Promise<void> {
  const exit = exited(child);
  if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  await exit;
}
