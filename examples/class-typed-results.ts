// Results of a class graph are typed by the class: `get('name')` has the type that member
// resolves to. NodeName and NodeValue name those types for your own helpers.
// #region docs
import { Dag, DagError, node, type DagResult, type NodeName, type NodeValue } from 'async-dag';

class Prices extends Dag<{ currency: string }> {
  @node() async list() {
    return [10, 20, 12];
  }
  @node('list') max(list: number[]) {
    return Math.max(...list);
  }
  @node('max') label(max: number, params: { currency: string }) {
    return `${max} ${params.currency}`;
  }
}

/** Any member's value of any result of Prices, typed. */
function show<K extends NodeName<Prices>>(result: DagResult<Prices>, name: K): NodeValue<Prices, K> {
  return result.get(name);
}

export async function main(log: (line: string) => void = console.log): Promise<string> {
  const result = await new Prices().invoke({ currency: 'EUR' });
  const list: number[] = result.get('list'); // the awaited return type of list()
  const label: string = show(result, 'label');
  log(`${list.join(', ')} -> ${label}`); // 10, 20, 12 -> 20 EUR
  log(result.status('max')); // fulfilled

  try {
    result.get('total' as NodeName<Prices>); // not a node: a compile error without the cast
  } catch (error) {
    if (error instanceof DagError) log(error.code); // UNKNOWN_NODE
  }
  return label;
}
// #endregion docs

if (require.main === module) void main();
