// Cancelling a durable run by its runId from another process (here, a second executor stands for
// it): the invoking process's run rejects with DagAbortedError.
// #region docs
import { bullmqExecutor } from 'async-dag/bullmq';

/** In any process that reaches the run's Redis, say an admin endpoint: stops the run wherever it runs. */
export async function cancelInvoice(connection: { host: string; port: number }, runId: string): Promise<void> {
  const admin = bullmqExecutor({ connection });
  try {
    await admin.cancel(runId, 'cancelled by an operator');
  } finally {
    await admin.close();
  }
}
// #endregion docs

import { DagAbortedError } from 'async-dag';
import { InvoiceFlow, PaymentGateway } from './workers-idempotent';

export async function main(port: number, log: (line: string) => void = console.log): Promise<void> {
  const connection = { host: '127.0.0.1', port };
  // The invoking process: its `charge` node waits on queue 'billing'.
  const executor = bullmqExecutor({ connection });
  const running = new InvoiceFlow(new PaymentGateway()).invoke(
    { customer: 'acme', cents: 4_200 },
    { executor, runId: 'invoice-2026-12-acme' },
  );
  await new Promise((resolve) => setTimeout(resolve, 200));
  await cancelInvoice(connection, 'invoice-2026-12-acme');

  try {
    await running;
  } catch (error) {
    if (!(error instanceof DagAbortedError)) throw error;
    log(error.message); // The run was aborted: run "invoice-2026-12-acme" was cancelled: cancelled by an operator
  }
  await executor.close();
}
