// Stand-ins for the services the getting-started examples call: an HTTP API and a database.
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
export interface Event {
  timestamp: Date;
  location: string;
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

/** The event flow's HTTP access (the seed's `HttpClient`): each call takes 50 ms. */
export class HttpClient {
  readonly published: boolean[][] = [];

  async fetch(url: string): Promise<Event> {
    await sleep(50);
    return { timestamp: new Date(), location: url };
  }

  async publishLogs(results: boolean[]): Promise<void> {
    await sleep(50);
    this.published.push(results);
  }
}

/** The event flow's database (the seed's `DatabaseClient`): each insert takes 50 ms. */
export class DatabaseClient {
  readonly inserted: string[] = [];

  async insert(event: Event): Promise<boolean> {
    await sleep(50);
    this.inserted.push(event.location);
    return true;
  }
}
