// Must fail with standard (TC39) decorators: a parameter that does not accept an accessor's value.
import { Dag, immediate, node } from 'async-dag';

export class RegionFlow extends Dag {
  @immediate accessor region = 'eu' as const;

  // @expect-error not assignable
  @node('region') async endpoint(region: number) {
    return region + 1;
  }
}
