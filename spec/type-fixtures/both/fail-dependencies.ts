// Must fail in both decorator modes (legacy and standard TC39): dependency names that are not members, parameters that do
// not accept their values, decorators on the wrong kind of member.
import { Dag, immediate, node, type NodeContext } from 'async-dag';

interface Event {
  readonly location: string;
}
interface Params {
  readonly allowed: string;
}

export class EventFlow extends Dag<Params> {
  @immediate moonUrl() {
    return 'moon';
  }
  @immediate readonly retries: number = 2;
  @node('moonUrl') async moonEvent(url: string): Promise<Event> {
    return { location: url };
  }
  @node('moonEvent') async moonInsert(e: Event, p: Params) {
    return e.location === p.allowed;
  }

  // @expect-error 'moonUrll' is not a public member of this class
  @node('moonUrll') async typo(url: string) {
    return url;
  }
  // @expect-error parameter 1 of 'wrongType' does not accept the value of 'moonUrl'
  @node('moonUrl') async wrongType(url: number) {
    return url;
  }
  // @expect-error parameter 2 of 'secondWrong' does not accept the value of 'moonInsert'
  @node('moonEvent', 'moonInsert') async secondWrong(e: Event, ok: string) {
    return [e, ok];
  }
  // A parameter narrower than the value is an error too (no method bivariance).
  // @expect-error parameter 1 of 'narrower' does not accept the value of 'moonUrl'
  @node('moonUrl') narrower(url: 'moon' | 'sun') {
    return url;
  }
  // @expect-error parameter 2 of 'badParams' does not accept params
  @node('moonUrl') badParams(url: string, p: { other: number }) {
    return [url, p];
  }
  // @expect-error parameter 3 of 'badContext' does not accept ctx
  @node('moonUrl') badContext(url: string, p: Params, ctx: string) {
    return [url, p, ctx];
  }
  // @expect-error 'tooMany' has more required parameters than the values it is given
  @node() tooMany(p: Params, ctx: NodeContext, extra: number) {
    return [p, ctx, extra];
  }
  // @expect-error parameter 1 of 'fieldValue' does not accept the value of 'retries'
  @node('retries') fieldValue(retries: string) {
    return retries;
  }
  // `invoke` is Dag's own, never a dependency.
  // @expect-error 'invoke' is not a public member of this class
  @node('invoke') usesInvoke() {
    return 0;
  }
  // @expect-error parameter 1 of 'immediateParams' does not accept params
  @immediate immediateParams(p: number) {
    return p;
  }
  // @expect-error @node() decorates a method
  @node() notAMethod = 1;
  // @expect-error @node() decorates a method; use @immediate for a field or getter
  @node() get notAMethodEither() {
    return 1;
  }
}

export async function results(flow: EventFlow): Promise<void> {
  const result = await flow.invoke({ allowed: 'moon' });
  // @expect-error not assignable to type 'string'
  const wrong: string = result.get('moonEvent');
  // @expect-error "nope"
  result.get('nope');
  // @expect-error Expected 1-2 arguments, but got 0
  await flow.invoke();
  void wrong;
}
