// The seed's second example with the class DSL: the clients are injected through the
// constructor (as a NestJS provider would be), the invocation's params say which location may
// be stored, and the same instance is invoked twice.
// #region docs
import { Dag, immediate, node } from 'async-dag';

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

interface Event {
  readonly timestamp: Date;
  readonly location: string;
}

interface Params {
  readonly allowedLocation: string;
}

class HttpClient {
  constructor(private readonly delay: number) {}

  async fetch(url: string): Promise<Event> {
    await sleep(this.delay); // simulates an HTTP request
    return { timestamp: new Date(), location: url };
  }

  async publishLogs(results: boolean[]): Promise<number> {
    await sleep(this.delay);
    return results.length;
  }
}

class DatabaseClient {
  constructor(private readonly delay: number) {}

  async insert(_event: Event): Promise<boolean> {
    await sleep(this.delay); // simulates a database write
    return true;
  }
}

class EventFlow extends Dag<Params> {
  constructor(
    private readonly http: HttpClient,
    private readonly db: DatabaseClient,
    private readonly log: (line: string) => void,
  ) {
    super();
  }

  @immediate moonUrl() {
    return 'moon';
  }
  @immediate sunUrl() {
    return 'sun';
  }

  @node('moonUrl') moonEvent(url: string) {
    return this.http.fetch(url);
  }
  @node('moonEvent') moonInsert(event: Event, params: Params) {
    return this.insert(event, params);
  }
  @node('sunUrl') sunEvent(url: string) {
    return this.http.fetch(url);
  }
  @node('sunEvent') sunInsert(event: Event, params: Params) {
    return this.insert(event, params);
  }

  @node('moonInsert', 'sunInsert', { timeout: 2_000, retry: 2 })
  publishResults(moon: boolean, sun: boolean) {
    return this.http.publishLogs([moon, sun]);
  }

  // A node may depend on nodes of any earlier "level", and ignore params and ctx.
  @node('moonEvent', 'moonInsert', 'sunEvent', 'sunInsert')
  logger(moon: Event, moonStored: boolean, sun: Event, sunStored: boolean) {
    this.log(`logger: ${moon.location} ${moonStored}, ${sun.location} ${sunStored}`);
  }

  /** Not a node: stores an event only if its location is the allowed one. */
  private async insert(event: Event, params: Params): Promise<boolean> {
    if (event.location !== params.allowedLocation) return false;
    return this.db.insert(event);
  }
}

export async function main(log: (line: string) => void = console.log, delay = 500) {
  const flow = new EventFlow(new HttpClient(delay), new DatabaseClient(delay), log);

  const first = await flow.invoke({ allowedLocation: 'moon' });
  log(`moonEvent: ${first.get('moonEvent').location}`); // moon
  log(`moonInsert: ${first.get('moonInsert')}`); // true

  // The same instance (and the same graph) serves any number of invocations.
  const second = await flow.invoke({ allowedLocation: 'sun' });
  log(`moonInsert: ${second.get('moonInsert')}`); // false
  log(`sunInsert: ${second.get('sunInsert')}`); // true
  return { first, second };
}
// #endregion docs

if (require.main === module) void main();
