// Must compile with standard (TC39) decorators only: an `accessor` field as an immediate, whose
// value reaches its dependents and the result with its own type. (Legacy decorators have no
// `accessor` fields.)
import { expectTypeOf } from 'expect-type';
import { Dag, immediate, node } from 'async-dag';

interface Params {
  readonly user: string;
}

export class RegionFlow extends Dag<Params> {
  @immediate accessor region = 'eu' as const;

  @node('region') async endpoint(region: 'eu', p: Params) {
    return `https://${region}.example.test/users/${p.user}`;
  }
}

export async function typed(): Promise<void> {
  const result = await new RegionFlow().invoke({ user: 'ada' });
  expectTypeOf(result.get('region')).toEqualTypeOf<'eu'>();
  expectTypeOf(result.get('endpoint')).toEqualTypeOf<string>();
}
