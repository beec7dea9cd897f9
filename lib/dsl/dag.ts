import { runGraph } from '../run';
import type { Graph } from '../graph';
import { shown } from '../errors';
import { type InvokeOptions } from '../run';
import { classGraphOf, isGraphFinal } from './class-graph';
import { classOf } from './class-of';
import type { DagResult } from './dag-result';
import type { DagOwnMember } from './node-types';
import { withInvokeDefaults } from './invoke-defaults';
import { DAG_CLASS } from './metadata-keys';

/**
 * The base class of a class graph: each member decorated with `@node(...)` or `@immediate` is a
 * node. The graph is scanned and validated at the first `new` of each subclass and cached for
 * the class; a definition error (`DagDefinitionError`: cycle, unknown dependency, ...) is thrown
 * from that `new`, and from every later `new` of the class.
 *
 * `P` is the type of `params`, handed to every node after its dependencies' values.
 *
 * @example
 * ```ts
 * class EventFlow extends Dag<Params> {
 *   constructor(private readonly http: HttpClient) { super(); }
 *   @immediate moonUrl() { return 'moon'; }
 *   @node('moonUrl') async moonEvent(url: string) { return this.http.fetch(url); }
 * }
 * const result = await new EventFlow(http).invoke(params);
 * result.get('moonEvent'); // typed as what moonEvent resolves to
 * ```
 */
export abstract class Dag<P = void> {
  static {
    // A brand every subclass inherits, under a registered symbol, so any copy of the library
    // recognises a Dag class; defined, not declared, so that it stays out of the public types.
    Object.defineProperty(this, DAG_CLASS, { value: true });
  }

  #graph: Graph;
  /** `false` when the graph was looked up before the class's decorators could have run (see `isGraphFinal`). */
  #final: boolean;

  constructor() {
    this.#graph = classGraphOf(new.target);
    this.#final = isGraphFinal(new.target);
  }

  /**
   * Runs the graph once with `params`. Resolves with a typed result; rejects with
   * `NodeFailedError` (fail fast), `DagAbortedError` (signal) or `TypeError` (bad options).
   * When `P` is `void`, `invoke()` takes no argument. Options given here override the defaults
   * set for the class or the instance, key by key.
   *
   * @example
   * const result = await flow.invoke(params, { concurrency: 4, signal: AbortSignal.timeout(5_000) });
   */
  invoke<T extends Dag<P>>(this: T, params: P, options?: InvokeOptions): Promise<DagResult<T>> {
    // Called unbound (`const run = flow.invoke; run()`), `this` may be anything, even undefined,
    // where `#graph in this` would throw: every misuse rejects.
    // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- an unbound invoke is called with any `this`
    if ((typeof this !== 'object' && typeof this !== 'function') || this === null || !(#graph in this)) {
      return Promise.reject(new TypeError(`Expected \`this\` to be an instance of a Dag subclass, got ${shown(this)}`));
    }
    if (!this.#final) {
      // Made by a static field before the class's decorators ran: its graph is looked up now.
      try {
        this.#graph = classGraphOf(this);
      } catch (error) {
        return Promise.reject(error);
      }
      const Class = classOf(this);
      this.#final = Class !== undefined && isGraphFinal(Class);
    }
    return runGraph(this.#graph, params, withInvokeDefaults(this, options), this) as Promise<unknown> as Promise<
      DagResult<T>
    >;
  }
}

/** Fails to compile when `Dag` gains a public member that `DagOwnMember` does not list. */
type OwnMembersListed = [keyof Dag<unknown>] extends [DagOwnMember] ? true : never;
const ownMembersListed: OwnMembersListed = true;
// eslint-disable-next-line @typescript-eslint/no-meaningless-void-operator -- uses the constant, whose type is the check
void ownMembersListed;
