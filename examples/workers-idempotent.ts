// At least once, made harmless: a node on a worker whose side effect (a charge) carries an
// idempotency key derived from ctx.runId, so a body that runs again (its worker died, its run
// was resumed) charges nothing twice.
// #region docs
import { Dag, node, type NodeContext } from 'async-dag';

export interface InvoiceParams {
  readonly customer: string;
  readonly cents: number;
}

/** A stand-in for a payment provider's API, which (like most) accepts an idempotency key. */
export class PaymentGateway {
  readonly charges = new Map<string, { id: string; cents: number }>();

  async charge(request: { idempotencyKey: string; customer: string; cents: number }) {
    // The provider keeps the first charge made with a key and answers it again for every repeat.
    let charge = this.charges.get(request.idempotencyKey);
    if (charge === undefined) {
      charge = { id: `ch_${this.charges.size + 1}`, cents: request.cents };
      this.charges.set(request.idempotencyKey, charge);
    }
    return charge;
  }
}

export class InvoiceFlow extends Dag<InvoiceParams> {
  constructor(private readonly payments: PaymentGateway) {
    super();
  }

  // May run more than once for one run: the key is the same every time (runId and node name;
  // not ctx.attempt, so that a retry after a lost answer does not charge again either).
  @node({ queue: 'billing', retry: 2 })
  async charge(p: InvoiceParams, ctx: NodeContext) {
    return this.payments.charge({ idempotencyKey: `${ctx.runId}/${ctx.name}`, customer: p.customer, cents: p.cents });
  }

  @node('charge') receipt(charge: { id: string; cents: number }, p: InvoiceParams) {
    return `${p.customer}: ${charge.cents} cents, ${charge.id}`;
  }
}
// #endregion docs

/** Runs one invoice twice under one runId (as a worker's death or a resume would): one charge. */
export async function main(log: (line: string) => void = console.log): Promise<PaymentGateway> {
  const payments = new PaymentGateway();
  const flow = new InvoiceFlow(payments);
  const params = { customer: 'acme', cents: 4_200 };
  log((await flow.invoke(params, { runId: 'invoice-2026-12-acme' })).get('receipt')); // acme: 4200 cents, ch_1
  log((await flow.invoke(params, { runId: 'invoice-2026-12-acme' })).get('receipt')); // acme: 4200 cents, ch_1
  log(`${payments.charges.size} charge`); // 1 charge
  return payments;
}
