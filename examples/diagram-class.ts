// The diagram of a class DSL flow: immediates are drawn as stadiums, and node options
// (timeout, retry, priority) are shown under the node's name.
// #region docs
import { Dag, graphOf, immediate, node } from 'async-dag';

interface Event {
  location: string;
}
interface Params {
  allowed: string;
}

/** Logs the Mermaid diagram of the seed's second example, written as a class. */
export function main(log: (text: string) => void = console.log): string {
  class EventFlow extends Dag<Params> {
    @immediate moonUrl() {
      return 'moon';
    }
    @immediate sunUrl() {
      return 'sun';
    }
    @node('moonUrl', { timeout: 2_000, retry: 2 }) async moonEvent(url: string): Promise<Event> {
      return { location: url };
    }
    @node('sunUrl', { timeout: 2_000, retry: 2 }) async sunEvent(url: string): Promise<Event> {
      return { location: url };
    }
    @node('moonEvent') async moonInsert(e: Event, p: Params) {
      return e.location === p.allowed;
    }
    @node('sunEvent') async sunInsert(e: Event, p: Params) {
      return e.location === p.allowed;
    }
    @node('moonInsert', 'sunInsert', { priority: 1 }) async publish(moon: boolean, sun: boolean) {
      return [moon, sun];
    }
  }

  const diagram = graphOf(EventFlow).toMermaid(); // a class, or an instance of it
  log(diagram);
  return diagram;
}
// #endregion docs

if (require.main === module) main();
