import { main as seedClass } from '../../examples/seed-class';
import { main as seedClassEvents } from '../../examples/seed-class-events';
import { checkSeedClass, checkSeedClassEvents } from '../helpers/seed-class-checks';

describe('examples/seed-class', () => {
  it('starts each task as soon as its dependencies are done and returns 1 and 4', () => checkSeedClass(seedClass));
});

describe('examples/seed-class-events', () => {
  it('stores only the allowed location, on each of two invocations of one instance', () =>
    checkSeedClassEvents(seedClassEvents));
});
