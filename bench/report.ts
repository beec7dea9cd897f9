/** Markdown formatting for the bench's tables; figures are rounded for reading, never for comparing. */
import os from 'node:os';

export function table(
  headers: readonly string[],
  rows: readonly (readonly string[])[],
  align?: readonly ('l' | 'r')[],
): string {
  const rule = headers.map((_, i) => ((align?.[i] ?? (i === 0 ? 'l' : 'r')) === 'r' ? '---:' : ':---'));
  return [headers, rule, ...rows].map((cells) => `| ${cells.join(' | ')} |`).join('\n');
}

/** A duration in ms, with enough digits to compare: `12.3 ms`, `0.456 ms`, `1,234 ms`. */
export function ms(value: number): string {
  if (!Number.isFinite(value)) return 'n/a';
  if (value >= 100) return `${Math.round(value).toLocaleString('en-US')} ms`;
  if (value >= 10) return `${value.toFixed(1)} ms`;
  return `${value.toFixed(2)} ms`;
}

/** A duration in µs. */
export function us(valueMs: number): string {
  const value = valueMs * 1000;
  return value >= 100 ? `${Math.round(value)} µs` : `${value.toFixed(1)} µs`;
}

export function ratio(value: number): string {
  return Number.isFinite(value) ? `${value.toFixed(2)}x` : 'n/a';
}

export function bytes(value: number): string {
  return `${Math.round(value).toLocaleString('en-US')} B`;
}

export function verdict(met: boolean): string {
  return met ? 'met' : '**missed**';
}

export interface MachineInfo {
  readonly node: string;
  readonly cpu: string;
  readonly cores: number;
  readonly memoryGb: number;
  readonly platform: string;
  readonly date: string;
  /** 1-minute load average when the run began: above the number of cores, other work competed for the CPU. */
  readonly load: number;
}

export function machineInfo(): MachineInfo {
  const cpus = os.cpus();
  return {
    node: process.version,
    cpu: cpus[0]?.model.trim() ?? 'unknown',
    cores: cpus.length,
    memoryGb: Math.round(os.totalmem() / 2 ** 30),
    platform: `${os.platform()} ${os.release()} ${os.arch()}`,
    date: new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
    load: os.loadavg()[0]!,
  };
}
