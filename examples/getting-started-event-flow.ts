// The seed's second example with the class DSL: fetch two events, insert the allowed one,
// publish the results and log everything; one flow instance, invoked twice.
// #region docs
import { Dag, immediate, node } from 'async-dag';
import { DatabaseClient, HttpClient, type Event } from './getting-started-services';

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
