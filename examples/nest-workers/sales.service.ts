import { Injectable } from '@nestjs/common';

/** A stand-in for a data-access service; each app (web, worker) has its own instance. */
@Injectable()
export class SalesService {
  async rows(month: string): Promise<{ region: string; sales: number }[]> {
    return [
      { region: 'north', sales: month.length * 10 },
      { region: 'south', sales: 42 },
    ];
  }

  /** Which process this instance lives in: shows where a node ran. */
  whereAmI(): number {
    return process.pid;
  }
}
