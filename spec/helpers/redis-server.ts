import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

/**
 * A `redis-server` of the tests' own (Debian's package) on a free loopback port, never 6379,
 * with nothing persisted, and child processes that serve queues. `stop()` ends everything it
 * started, whatever state the test left it in.
 */
export interface RedisHarness {
  readonly port: number;
  /** Starts `node --import tsx <script>` with these variables; resolves once it printed `ready`. */
  spawnWorker(script: string, env: Record<string, string>): Promise<ChildProcess>;
  stop(): Promise<void>;
}

const REDIS_SERVER = process.env.REDIS_SERVER ?? '/usr/bin/redis-server';

function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const server = createServer();
    server.once('error', fail);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => done(port));
    });
  });
}

/** Resolves when `child` prints `marker` on stdout; rejects when it exits first or after `ms`. */
function waitFor(child: ChildProcess, marker: string, ms: number, what: string): Promise<void> {
  return new Promise((done, fail) => {
    let out = '';
    const timer = setTimeout(() => fail(new Error(`${what} did not get ready in ${ms} ms:\n${out}`)), ms);
    const onData = (chunk: Buffer): void => {
      out += chunk.toString();
      if (out.includes(marker)) {
        clearTimeout(timer);
        child.stdout!.off('data', onData);
        done();
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.once('exit', (code) => {
      clearTimeout(timer);
      fail(new Error(`${what} exited (${String(code)}) before getting ready:\n${out}`));
    });
  });
}

function kill(child: ChildProcess, signal: NodeJS.Signals): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((done) => {
    const force = setTimeout(() => child.kill('SIGKILL'), 3_000);
    child.once('exit', () => {
      clearTimeout(force);
      done();
    });
    child.kill(signal);
  });
}

export async function startRedis(): Promise<RedisHarness> {
  const dir = mkdtempSync(join(tmpdir(), 'async-dag-redis-'));
  const children: ChildProcess[] = [];
  const stop = async (): Promise<void> => {
    // Workers first (they close their connections), then the server.
    await Promise.all(children.slice(1).map((child) => kill(child, 'SIGTERM')));
    if (children[0] !== undefined) await kill(children[0], 'SIGTERM');
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    let port = 0;
    for (let tries = 0; ; tries++) {
      port = await freePort();
      if (port === 6379) continue;
      const server = spawn(
        REDIS_SERVER,
        ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir],
        { stdio: ['ignore', 'pipe', 'pipe'] },
      );
      try {
        await waitFor(server, 'Ready to accept connections', 5_000, 'redis-server');
        children.push(server);
        break;
      } catch (error) {
        await kill(server, 'SIGKILL');
        if (tries >= 3) throw error;
      }
    }
    const spawnWorker = async (script: string, env: Record<string, string>): Promise<ChildProcess> => {
      const child = spawn(process.execPath, ['--import', 'tsx', resolve(script)], {
        env: { ...process.env, ...env, REDIS_PORT: String(port) },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      children.push(child);
      await waitFor(child, 'ready', 20_000, `worker ${script}`);
      return child;
    };
    return { port, spawnWorker, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
