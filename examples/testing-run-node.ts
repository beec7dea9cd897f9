// runNode: unit-test one node, with the values of its dependencies given.
// #region docs
import { runNode } from 'async-dag/testing';
import { demoShop, ProfileFlow } from './testing-flow';

export async function profileNodeAlone(flow: ProfileFlow): Promise<string> {
  // `deps` are the values of `user` and `orders`, in declared order, typed by the method.
  return runNode(flow, 'profile', {
    deps: [{ id: 'u1', name: 'Grace' }, [{ id: 'o9', total: 5 }]],
    params: { userId: 'u1' },
  });
}

export async function main(log: (line: string) => void = console.log): Promise<string> {
  const profile = await profileNodeAlone(new ProfileFlow(demoShop()));
  log(profile);
  return profile;
}
// #endregion docs

if (require.main === module) void main();
