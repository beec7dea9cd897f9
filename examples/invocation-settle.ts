// Fail fast (the default) versus settle mode (failFast: false).
// #region docs
import { buildDag, NodeFailedError } from 'async-dag';

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Runs one graph with a failing node in both modes and logs what each reports. */
export async function main(log: (line: string) => void = console.log): Promise<void> {
  const dag = buildDag((tm) => {
    const profile = tm.addNode(async function profile() {
      await sleep(10);
      return { name: 'Ada' };
    });
    const avatar = tm.addNode(async function avatar() {
      throw new Error('image service is down');
    });
    tm.addNode(
      function card(p: { name: string }, image: string) {
        return `${p.name} ${image}`;
      },
      profile,
      avatar,
    );
    tm.addNode(async function feed() {
      await sleep(20);
      return ['post 1', 'post 2'];
    });
  });

  // Fail fast: the first failure rejects the run; running nodes see ctx.signal abort.
  try {
    await dag.invoke();
  } catch (error) {
    if (error instanceof NodeFailedError) {
      log(`${error.code}: node ${error.node}, cause: ${(error.cause as Error).message}`);
      log(`partial: profile is ${error.partial.status('profile')}`); // still in flight: skipped
    }
  }

  // Settle mode: every node that does not depend on a failure runs; invoke resolves.
  const result = await dag.invoke(undefined, { failFast: false });
  for (const name of ['profile', 'avatar', 'card', 'feed']) log(`${name}: ${result.status(name)}`);
  log(`errors: ${result.errors.map(({ node, error }) => `${node} (${(error as Error).message})`).join(', ')}`);
  log(`feed: ${(result.get('feed') as string[]).length} posts`);
  // NODE_FAILED: node avatar, cause: image service is down
  // partial: profile is skipped
  // profile: fulfilled / avatar: rejected / card: skipped / feed: fulfilled
  // errors: avatar (image service is down)
  // feed: 2 posts
}
// #endregion docs

if (require.main === module) void main();
