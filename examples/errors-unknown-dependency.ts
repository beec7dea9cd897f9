// UNKNOWN_DEPENDENCY: a dependency that names no node or immediate of the class.
// #region docs
import { Dag, DagDefinitionError, node } from 'async-dag';

/** Provokes `UNKNOWN_DEPENDENCY` twice and returns both errors. */
export function main(log: (line: string) => void = console.log): unknown[] {
  const errors: unknown[] = [];
  class Invoice extends Dag<{ customerId: string }> {
    // A plain method: it is a member, so the compiler accepts its name, but it is not a node.
    customer(p: { customerId: string }) {
      return { id: p.customerId, country: 'FR' };
    }
    @node('customer') vatRate(customer: { country: string }) {
      return customer.country === 'FR' ? 0.2 : 0;
    }
  }
  try {
    new Invoice();
  } catch (error) {
    if (error instanceof DagDefinitionError) log(`${error.code}: ${error.message}`);
    // UNKNOWN_DEPENDENCY: Invoice: "vatRate" depends on "customer", a member that is neither a
    // node nor an immediate. Decorate "customer" with @node(...) or @immediate.
    errors.push(error);
  }

  // A misspelt name is a compile error first; if it gets through, the message suggests a fix.
  class Shipping extends Dag {
    @node() weight() {
      return 2.5;
    }
    // @ts-expect-error: 'wieght' is not a member of Shipping
    @node('wieght') price(kg: number) {
      return 4 + kg;
    }
  }
  try {
    new Shipping();
  } catch (error) {
    if (error instanceof DagDefinitionError) log(`${error.code}: ${error.message}`);
    // UNKNOWN_DEPENDENCY: Shipping: "price" depends on "wieght", which is not a node or an
    // immediate of Shipping. Did you mean "weight"?
    errors.push(error);
  }
  return errors;
}
// #endregion docs

if (require.main === module) void main();
