// The seed's second example with the class DSL: fetch two events, insert the allowed one,
// publish the results and log everything; one flow instance, invoked twice.
import { Dag, immediate, node } from 'async-dag';

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

interface Event { timestamp: Date; location: string }

/** Simulated HTTP access: each call takes 50 ms. */
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

/** Simulated database access: each insert takes 50 ms. */
export class DatabaseClient {
  readonly inserted: string[] = [];
  async insert(event: Event): Promise<boolean> {
    await sleep(50);
    this.inserted.push(event.location);
    return true;
  }
}

/** Runs the flow for "moon", then for "sun", and returns what each run inserted. */
export async function main(
  log: (line: string) => void = console.log,
  http = new HttpClient(),
  db = new DatabaseClient(),
): Promise<boolean[][]> {
  // #region docs
  interface Params { allowedLocation: string }

  class EventFlow extends Dag<Params> {
    constructor(private readonly http: HttpClient, private readonly db: DatabaseClient) {
      super();
    }

    @immediate moonUrl() { return 'moon'; }
    @immediate sunUrl() { return 'sun'; }

    @node('moonUrl') async moonEvent(url: string) { return this.http.fetch(url); }
    @node('sunUrl') async sunEvent(url: string) { return this.http.fetch(url); }

    @node('moonEvent') async moonInsert(event: Event, p: Params) { return this.insert(event, p); }
    @node('sunEvent') async sunInsert(event: Event, p: Params) { return this.insert(event, p); }

    @node('moonInsert', 'sunInsert') async publish(moon: boolean, sun: boolean) {
      await this.http.publishLogs([moon, sun]);
    }

    // A node may depend on any earlier node, not only on the last "level".
    @node('moonEvent', 'moonInsert', 'sunEvent', 'sunInsert')
    logger(moon: Event, moonOk: boolean, sun: Event, sunOk: boolean) {
      log(`${moon.location}: ${moonOk}, ${sun.location}: ${sunOk}`);
    }

    private async insert(event: Event, p: Params): Promise<boolean> {
      return event.location === p.allowedLocation && this.db.insert(event);
    }
  }

  const flow = new EventFlow(http, db); // the graph is scanned and validated here, once per class
  const first = await flow.invoke({ allowedLocation: 'moon' }); // logs "moon: true, sun: false"
  log(`moonInsert: ${first.get('moonInsert')}`); // typed as boolean: true

  // The same flow serves any number of invocations; nothing is rebuilt.
  const second = await flow.invoke({ allowedLocation: 'sun' }); // logs "moon: false, sun: true"
  log(`moonInsert: ${second.get('moonInsert')}`); // false
  // #endregion docs
  return [
    [first.get('moonInsert'), first.get('sunInsert')],
    [second.get('moonInsert'), second.get('sunInsert')],
  ];
}

if (require.main === module) void main();
