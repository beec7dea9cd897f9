// Must compile in both decorator modes (legacy and standard TC39): the API.md example, results typed by member.
import { expectTypeOf } from 'expect-type';
import {
  Dag,
  immediate,
  invokeDag,
  node,
  type DagResult,
  type NodeContext,
  type NodeName,
  type NodeValue,
} from 'async-dag';

interface Event {
  readonly location: string;
}
interface Params {
  readonly allowed: string;
}
declare class HttpClient {
  fetch(url: string): Promise<Event>;
}
declare class DatabaseClient {
  insert(event: Event, params: Params): Promise<boolean>;
}

class EventFlow extends Dag<Params> {
  constructor(
    private readonly http: HttpClient,
    private readonly db: DatabaseClient,
  ) {
    super();
  }

  @immediate moonUrl() {
    return 'moon';
  }
  @immediate readonly sunUrl: string = 'sun';
  @immediate get retries(): number {
    return 2;
  }
  @immediate allowed(params: Params) {
    return params.allowed;
  }
  @node('moonUrl') async moonEvent(url: string) {
    return this.http.fetch(url);
  }
  @node('moonEvent') async moonInsert(e: Event, p: Params) {
    return this.db.insert(e, p);
  }
  @node('sunUrl', 'retries') async sunEvent(url: string, retries: number, _p: Params, ctx: NodeContext) {
    void ctx.signal;
    return { ...(await this.http.fetch(url)), retries };
  }
  // Fewer parameters than values is fine; a parameter may be wider than the value.
  @node('moonEvent', 'moonInsert', { timeout: 2_000, retry: 2 })
  async log(e: Event, ok: boolean | undefined) {
    return `${e.location} ${String(ok)}`;
  }
  @node('moonEvent', 'sunEvent') both(moon: { location: string }) {
    return moon.location.length;
  }
  @node('moonUrl', 'moonUrl') twice(a: string, b: string) {
    return a + b;
  }
  @node() root() {
    return 1 as const;
  }
  @node('log', { priority: 1 }) async last(...lines: unknown[]) {
    return lines.length;
  }
}

export async function run(http: HttpClient, db: DatabaseClient): Promise<void> {
  const flow = new EventFlow(http, db);
  const result = await flow.invoke({ allowed: 'moon' }, { concurrency: 2 });
  expectTypeOf(result).toEqualTypeOf<DagResult<EventFlow>>();
  expectTypeOf(result.get('moonEvent')).toEqualTypeOf<Event>();
  expectTypeOf(result.get('moonInsert')).toEqualTypeOf<boolean>();
  expectTypeOf(result.get('sunUrl')).toEqualTypeOf<string>();
  expectTypeOf(result.get('retries')).toEqualTypeOf<number>();
  expectTypeOf(result.get('sunEvent')).toEqualTypeOf<{ retries: number; location: string }>();
  expectTypeOf(result.get('root')).toEqualTypeOf<1>();
  expectTypeOf(result.status('log')).toEqualTypeOf<'fulfilled' | 'rejected' | 'skipped'>();
  expectTypeOf<NodeValue<EventFlow, 'moonEvent'>>().toEqualTypeOf<Event>();
  expectTypeOf<'moonEvent'>().toMatchTypeOf<NodeName<EventFlow>>();
  expectTypeOf<'invoke'>().not.toMatchTypeOf<NodeName<EventFlow>>();
  // A subclass stays assignable to Dag<P>.
  const base: Dag<Params> = flow;
  void base;
  // The result is an ExecutionResult at heart: errors and trace as usual.
  void result.errors;
  void result.trace.toTimeline();
  void invokeDag(flow, { allowed: 'sun' });
}

class NoParams extends Dag {
  @node() async one() {
    return 1;
  }
  @node('one') two(one: number, params: void) {
    return one + (params === undefined ? 1 : 0);
  }
}

export async function runNoParams(): Promise<number> {
  const a = await new NoParams().invoke();
  const b = await new NoParams().invoke(undefined, { failFast: false });
  return a.get('two') + b.get('one');
}
