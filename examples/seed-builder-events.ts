// The seed's second example, with the builder: fetch an event for "moon" and for "sun", insert
// each into the database when its location is the allowed one, then publish the results and
// log everything. The clients come in through the invocation's params, and one graph serves
// both invocations.
// #region docs
import { buildDag, type TaskNode } from 'async-dag';

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

interface Event {
  timestamp: Date;
  location: string;
}

class DatabaseClient {
  constructor(readonly latency = 500) {}
  readonly inserted: Event[] = [];

  async insert(event: Event): Promise<boolean> {
    await sleep(this.latency); // simulates a database round trip
    this.inserted.push(event);
    return true;
  }
}

class HttpClient {
  constructor(readonly latency = 500) {}
  readonly published: boolean[][] = [];

  async fetch(url: string): Promise<Event> {
    await sleep(this.latency); // simulates an HTTP request
    return { timestamp: new Date(), location: url };
  }

  async publishLogs(results: boolean[]): Promise<void> {
    await sleep(this.latency);
    this.published.push(results);
  }
}

interface Parameters {
  httpClient: HttpClient;
  dbClient: DatabaseClient;
  allowedLocation: string;
  log: (line: string) => void;
}

// A node gets its dependencies' values, then the invocation's params.
async function fetchEvent(url: string, params: Parameters): Promise<Event> {
  return params.httpClient.fetch(url);
}

async function insertToDb(event: Event, params: Parameters): Promise<boolean> {
  if (event.location !== params.allowedLocation) return false;
  return params.dbClient.insert(event);
}

async function publishResults(moon: boolean, sun: boolean, params: Parameters): Promise<void> {
  await params.httpClient.publishLogs([moon, sun]);
}

// A node may ask for nodes from any depth of the graph, not only the last ones.
function logger(moonEvent: Event, moonOk: boolean, sunEvent: Event, sunOk: boolean, params: Parameters): void {
  params.log(`${moonEvent.location} ${moonOk} ${sunEvent.location} ${sunOk}`);
}

let moonEvent!: TaskNode<Event>;
let moonInsert!: TaskNode<boolean>;
let sunInsert!: TaskNode<boolean>;
const flow = buildDag<Parameters>((tm) => {
  const moonUrl = tm.addImmediateNode('moon');
  moonEvent = tm.addNode(fetchEvent, moonUrl);
  moonInsert = tm.addNode(insertToDb, moonEvent);

  const sunUrl = tm.addImmediateNode('sun');
  const sunEvent = tm.addNode(fetchEvent, sunUrl);
  sunInsert = tm.addNode(insertToDb, sunEvent);

  tm.addNode(publishResults, moonInsert, sunInsert);
  tm.addNode(logger, moonEvent, moonInsert, sunEvent, sunInsert);
});

export async function main(log = console.log, latency = 500) {
  const httpClient = new HttpClient(latency);
  const dbClient = new DatabaseClient(latency);

  const first = await flow.invoke({ httpClient, dbClient, allowedLocation: 'moon', log }); // logs: moon true sun false
  log(moonEvent.extractResult(first).location); // moon
  log(String(moonInsert.extractResult(first))); // true

  // The same graph again: there is no need to build it twice.
  const second = await flow.invoke({ httpClient, dbClient, allowedLocation: 'sun', log }); // logs: moon false sun true
  log(moonEvent.extractResult(second).location); // moon
  log(String(moonInsert.extractResult(second))); // false

  return { first, second, httpClient, dbClient };
}

export { moonEvent, moonInsert, sunInsert };
// #endregion docs

if (require.main === module) void main();
