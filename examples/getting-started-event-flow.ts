// The seed's second example with the class DSL: fetch two events, insert the allowed one,
// publish the results and log everything; one flow instance, invoked twice.
// #region docs
import { Dag, immediate, node } from 'async-dag';

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export interface Event {
  timestamp: Date;
  location: string;
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

interface Params {
  allowedLocation: string;
}

export class EventFlow extends Dag<Params> {
  constructor(
    private readonly http: HttpClient,
    private readonly db: DatabaseClient,
  ) {
    super();
  }

  @immediate moonUrl() {
    return 'moon';
  }
  @immediate sunUrl() {
    return 'sun';
  }

  @node('moonUrl') async moonEvent(url: string) {
    return this.http.fetch(url);
  }
  @node('sunUrl') async sunEvent(url: string) {
    return this.http.fetch(url);
  }

  @node('moonEvent') async moonInsert(event: Event, p: Params) {
    return this.insert(event, p);
  }
  @node('sunEvent') async sunInsert(event: Event, p: Params) {
    return this.insert(event, p);
  }

  @node('moonInsert', 'sunInsert') async publish(moon: boolean, sun: boolean) {
    await this.http.publishLogs([moon, sun]);
  }

  // A node may depend on any earlier node, not only on the last "level".
  @node('moonEvent', 'moonInsert', 'sunEvent', 'sunInsert')
  logger(moon: Event, moonOk: boolean, sun: Event, sunOk: boolean) {
    return `${moon.location}: ${moonOk}, ${sun.location}: ${sunOk}`;
  }

  private async insert(event: Event, p: Params): Promise<boolean> {
    return event.location === p.allowedLocation && this.db.insert(event);
  }
}

export async function main(log = console.log, http = new HttpClient(), db = new DatabaseClient()) {
  const flow = new EventFlow(http, db); // the graph is scanned and validated here, once per class
  const first = await flow.invoke({ allowedLocation: 'moon' });
  log(first.get('logger')); // moon: true, sun: false
  log(`moonInsert: ${first.get('moonInsert')}`); // typed as boolean: true

  // The same flow serves any number of invocations; nothing is rebuilt.
  const second = await flow.invoke({ allowedLocation: 'sun' });
  log(second.get('logger')); // moon: false, sun: true
  return [first, second].map((result) => [result.get('moonInsert'), result.get('sunInsert')]);
}
// #endregion docs

if (require.main === module) void main();
