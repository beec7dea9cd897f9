// Stand-ins for the services the getting-started example calls: a profile page's HTTP API.
// Each call waits a few milliseconds, like a network round trip, and is recorded so that
// tests can check what was called, and in what order.

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export interface User {
  id: number;
  name: string;
  friendIds: number[];
}
export interface Post {
  title: string;
}

/** The profile page's API: `user` takes 30 ms, `posts` 60 ms, `names` 20 ms. */
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
