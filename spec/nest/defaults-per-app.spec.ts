import { Inject, Injectable, Logger, Scope } from '@nestjs/common';
import { ContextIdFactory, REQUEST } from '@nestjs/core';
import { Test, type TestingModule } from '@nestjs/testing';
import { Dag, NodeFailedError, node, type DagObserver } from 'async-dag';
import { DagModule, type DagModuleOptions } from 'async-dag/nest';

/** A node that fails when asked to, and one that does not: settle mode shows in the result. */
@Injectable()
class CheckoutFlow extends Dag<{ fail: boolean }> {
  @node() charge(p: { fail: boolean }) {
    if (p.fail) throw new Error('card declined');
    return 'charged';
  }
  @node() email() {
    return 'sent';
  }
}

@Injectable({ scope: Scope.REQUEST })
class PerRequestFlow extends Dag<{ fail: boolean }> {
  constructor(@Inject(REQUEST) readonly request: { id: string }) {
    super();
  }
  @node() charge(p: { fail: boolean }) {
    if (p.fail) throw new Error(`declined for ${this.request.id}`);
    return 'charged';
  }
}

async function app(options: DagModuleOptions): Promise<TestingModule> {
  const moduleRef = await Test.createTestingModule({
    imports: [DagModule.forRoot(options)],
    providers: [CheckoutFlow, PerRequestFlow],
  }).compile();
  await moduleRef.init();
  return moduleRef;
}

/** What a run with a failing node does under the flow's defaults: settles, or rejects. */
async function modeOf(flow: Dag<{ fail: boolean }>): Promise<'settle' | 'fail fast'> {
  return flow.invoke({ fail: true }).then(
    () => 'settle',
    (error: unknown) => {
      if (!(error instanceof NodeFailedError)) throw error;
      return 'fail fast';
    },
  );
}

async function perRequest(moduleRef: TestingModule, id: string): Promise<PerRequestFlow> {
  const contextId = ContextIdFactory.create();
  moduleRef.registerRequestByContextId({ id }, contextId);
  return moduleRef.resolve(PerRequestFlow, contextId);
}

describe('DagModule: defaults belong to the app that imported it', () => {
  let settling: TestingModule | undefined;
  let failing: TestingModule | undefined;
  afterEach(async () => {
    await settling?.close();
    await failing?.close();
    settling = failing = undefined;
    jest.restoreAllMocks();
  });

  it('keeps each testing module its own defaults, whichever was created last', async () => {
    settling = await app({ defaults: { failFast: false } });
    failing = await app({ defaults: { failFast: true } });
    expect(await modeOf(settling.get(CheckoutFlow))).toBe('settle');
    expect(await modeOf(failing.get(CheckoutFlow))).toBe('fail fast');
    // Request-scoped instances, made after both apps started, too.
    expect(await modeOf(await perRequest(settling, 'r1'))).toBe('settle');
    expect(await modeOf(await perRequest(failing, 'r2'))).toBe('fail fast');
  });

  it('leaves the other app as it was when one closes', async () => {
    settling = await app({ defaults: { failFast: false } });
    failing = await app({ defaults: { failFast: true } });
    const flow = settling.get(CheckoutFlow);
    await failing.close();
    failing = undefined;
    expect(await modeOf(flow)).toBe('settle');
    expect(await modeOf(await perRequest(settling, 'r3'))).toBe('settle');
    // A third app with no defaults does not reach the first app's instances either.
    failing = await app({});
    expect(await modeOf(failing.get(CheckoutFlow))).toBe('fail fast');
    expect(await modeOf(flow)).toBe('settle');
  });

  it('sets nothing on the flow class: an instance made outside any app has no defaults', async () => {
    settling = await app({ defaults: { failFast: false } });
    expect(await modeOf(new CheckoutFlow())).toBe('fail fast');
    // The request-scoped flow is still the same class, with the same graph.
    const flow = await perRequest(settling, 'r4');
    expect(flow).toBeInstanceOf(PerRequestFlow);
    expect(flow.constructor).toBe(PerRequestFlow);
  });

  it('configures transient flows, those injected at start-up and those resolved later', async () => {
    @Injectable({ scope: Scope.TRANSIENT })
    class TransientFlow extends CheckoutFlow {}
    @Injectable()
    class Shop {
      constructor(@Inject(TransientFlow) readonly flow: TransientFlow) {}
    }
    settling = await Test.createTestingModule({
      imports: [DagModule.forRoot({ defaults: { failFast: false } })],
      providers: [TransientFlow, Shop],
    }).compile();
    await settling.init();
    expect(await modeOf(settling.get(Shop).flow)).toBe('settle');
    expect(await modeOf(await settling.resolve(TransientFlow))).toBe('settle');
  });

  it("gives each app's flows that app's observer and logger", async () => {
    const contexts: string[] = [];
    jest.spyOn(Logger.prototype, 'log').mockImplementation(function (this: Logger, message: unknown) {
      contexts.push(`${(this as unknown as { context?: string }).context}: ${String(message)}`);
    });
    const runsOf = (label: string, into: string[]): DagObserver => ({ onRunEnd: () => void into.push(label) });
    const seenA: string[] = [];
    const seenB: string[] = [];
    settling = await app({ defaults: { failFast: false, observer: runsOf('A', seenA) }, logger: true });
    failing = await app({ defaults: { observer: runsOf('B', seenB) } });
    contexts.length = 0;
    await failing.get(CheckoutFlow).invoke({ fail: false });
    expect(seenB).toEqual(['B']);
    expect(seenA).toEqual([]);
    expect(contexts).toEqual([]);
    await settling.get(CheckoutFlow).invoke({ fail: false }, { runId: 'a-1' });
    expect(seenA).toEqual(['A']);
    expect(contexts).toEqual([
      'CheckoutFlow: run a-1 started (2 nodes)',
      expect.stringMatching(/^CheckoutFlow: run a-1 fulfilled/),
    ]);
  });
});
