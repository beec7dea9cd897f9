// Getting started: a first flow with the class DSL. The same file runs under legacy
// (`experimentalDecorators`) and standard TC39 decorators.
// #region docs
import { Dag, immediate, node } from 'async-dag';
import { Api, type Post, type User } from './getting-started-services';

interface Params {
  userId: number;
  locale: string;
}

export class ProfilePage extends Dag<Params> {
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

export async function main(log = console.log, api = new Api()) {
  const page = new ProfilePage(api); // the class's graph is built and checked here, once
  const result = await page.invoke({ userId: 1, locale: 'en' });
  log(result.get('render')); // Hello Ada! Friends: Charles, Mary. Posts: 1.
  log(result.trace.toTimeline(60)); // one row per node: when it started and ended
  return result.get('render');
}
// #endregion docs

if (require.main === module) void main();
