// The seed examples compiled with standard (TC39) decorators behave exactly like the legacy ones.
// examples/seed-class.ts is one file for both modes (this jest project compiles it with
// tsconfig.tc39.json); the events example has a TC39 version of its own, with an immediate field
// and an accessor.
import { main as seedClass } from '../../examples/seed-class';
import { main as seedClassEvents } from '../../examples/tc39/seed-class-events';
import { checkSeedClass, checkSeedClassEvents } from '../helpers/seed-class-checks';

describe('examples/seed-class, with standard decorators', () => {
  it('starts each task as soon as its dependencies are done and returns 1 and 4', () => checkSeedClass(seedClass));
});

describe('examples/tc39/seed-class-events', () => {
  it('stores only the allowed location, on each of two invocations of one instance', () =>
    checkSeedClassEvents(seedClassEvents));
});
