import { spawn } from 'node:child_process';
import * as path from 'node:path';

jest.setTimeout(60_000);

const root = path.resolve(__dirname, '../..');

describe('timers', () => {
  it('are all cleared when invocations end, so the process exits at once instead of after 30 s', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(root, 'spec/helpers/timers-script.ts')], {
      cwd: root,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    let reportedAt = 0;
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      if (reportedAt === 0 && stdout.includes('\n')) reportedAt = performance.now();
    });
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const code = await new Promise<number | null>((resolve) => {
      const guard = setTimeout(() => child.kill(), 50_000);
      child.on('exit', (exitCode) => {
        clearTimeout(guard);
        resolve(exitCode);
      });
    });
    const exitedAfter = performance.now() - reportedAt;
    expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
    const report = JSON.parse(stdout) as { unhandled: string[]; timers: number };
    expect(report.unhandled).toEqual([]);
    expect(report.timers).toBe(0);
    // Generous for a loaded machine, and still far below the 30 s a leaked timer would hold it.
    expect(exitedAfter).toBeLessThan(3_000);
  });
});
