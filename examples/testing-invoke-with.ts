// invokeWith: run the real flow with some nodes replaced, for one invocation.
// #region docs
import { invokeWith } from 'async-dag/testing';
import { demoShop, ProfileFlow } from './testing-flow';

export async function profileOfTestUser(flow: ProfileFlow): Promise<string> {
  const result = await invokeWith(
    flow,
    { userId: 'u1' },
    {
      // Keys are node names; each function returns that node's type (or a promise of it).
      overrides: { user: async (p) => ({ id: p.userId, name: 'Test user' }) },
      failFast: false, // any invocation option goes here too
    },
  );
  return result.get('profile'); // typed as string
}

export async function main(log: (line: string) => void = console.log): Promise<string[]> {
  const flow = new ProfileFlow(demoShop());
  const faked = await profileOfTestUser(flow);
  // The flow itself is unchanged: the next invoke runs the real `user` node.
  const real = (await flow.invoke({ userId: 'u1' })).get('profile');
  log(`with the override: ${faked}`);
  log(`without:           ${real}`);
  return [faked, real];
}
// #endregion docs

if (require.main === module) void main();
