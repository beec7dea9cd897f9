// The jest matchers. In a jest test `expect` is already there; this file imports the standalone
// `expect` package (the one jest uses) so that it also runs with `npx tsx`.
// #region docs
import { expect } from 'expect';
import { dagMatchers } from 'async-dag/testing';
import { demoShop, ProfileFlow } from './testing-flow';

expect.extend(dagMatchers); // once per test file, or in a `setupFilesAfterEnv` file

export async function checkProfileFlow(): Promise<void> {
  const result = await new ProfileFlow(demoShop()).invoke({ userId: 'u1' });
  expect(result).toHaveRunConcurrently('user', 'orders');
  expect(result).toHaveRunBefore('user', 'profile');
  expect(result).toHaveRunBefore('orders', 'profile');
  expect(result).toHaveFulfilled('profile');

  const failing = new ProfileFlow({ ...demoShop(), findOrders: () => Promise.reject(new Error('orders down')) });
  const settled = await failing.invoke({ userId: 'u1' }, { failFast: false });
  expect(settled).toHaveRejected('orders', 'orders down');
  expect(settled).toHaveBeenSkipped('profile');
}

/** Runs the checks, then shows what a failing matcher says. */
export async function main(log: (line: string) => void = console.log): Promise<string> {
  await checkProfileFlow();
  log('all checks passed');
  const result = await new ProfileFlow(demoShop()).invoke({ userId: 'u1' });
  try {
    expect(result).toHaveRunConcurrently('user', 'profile');
  } catch (error) {
    const message = (error as Error).message;
    log(message.split('\n').slice(0, 5).join('\n'));
    return message;
  }
  throw new Error('expected the last check to fail');
}
// #endregion docs

if (require.main === module) void main();
