// Getting started: a first flow with the class DSL. The same file runs under legacy
// (`experimentalDecorators`) and standard TC39 decorators.
import { Dag, immediate, node } from 'async-dag';

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

interface User { id: number; name: string; friendIds: number[] }
interface Post { title: string }

/** A stand-in for an HTTP client: each call takes a few milliseconds, and is recorded. */
export class Api {
  readonly calls: string[] = [];
  async user(id: number): Promise<User> {
    this.calls.push(`user(${id})`);
    await sleep(30);
    this.calls.push(`user(${id}) done`);
    return { id, name: 'Ada', friendIds: [2, 3] };
  }
  async posts(userId: number): Promise<Post[]> {
    this.calls.push(`posts(${userId})`);
    await sleep(60);
    this.calls.push(`posts(${userId}) done`);
    return [{ title: 'Notes on the Analytical Engine' }];
  }
  async names(ids: number[]): Promise<string[]> {
    this.calls.push(`names(${ids.join(',')})`);
    await sleep(20);
    return ids.map((id) => ({ 2: 'Charles', 3: 'Mary' })[id] ?? '?');
  }
}

/** Builds the profile page of user 1 and logs it, then its schedule. */
export async function main(log: (line: string) => void = console.log, api = new Api()): Promise<string> {
  // #region docs
  interface Params { userId: number; locale: string }

  class ProfilePage extends Dag<Params> {
    constructor(private readonly api: Api) {
      super();
    }

    // A value known at the start of each invocation; a method gets (params).
    @immediate greeting(p: Params) {
      return p.locale === 'fr' ? 'Bonjour' : 'Hello';
    }

    // Roots: no dependency, so they start at once, in parallel. They get (params, ctx).
    @node() async user(p: Params) {
      return this.api.user(p.userId);
    }
    @node() async posts(p: Params) {
      return this.api.posts(p.userId);
    }

    // Starts the moment `user` resolves, without waiting for `posts`.
    @node('user') async friends(user: User) {
      return this.api.names(user.friendIds);
    }

    // Dependencies arrive in the order they are listed, typed by what those members return.
    @node('greeting', 'user', 'friends', 'posts')
    render(greeting: string, user: User, friends: string[], posts: Post[]) {
      return `${greeting} ${user.name}! Friends: ${friends.join(', ')}. Posts: ${posts.length}.`;
    }
  }

  const page = new ProfilePage(api); // the class's graph is built and checked here, once
  const result = await page.invoke({ userId: 1, locale: 'en' });
  log(result.get('render')); // Hello Ada! Friends: Charles, Mary. Posts: 1.
  log(result.trace.toTimeline(60)); // one row per node: when it started and ended
  // #endregion docs
  return result.get('render');
}

if (require.main === module) void main();
