import { runGraph } from '../run';
import type { InvokeOptions } from '../run';
import { shown } from '../errors';
import { classGraphOf } from './class-graph';
import type { DagResult } from './dag-result';
import { withInvokeDefaults } from './invoke-defaults';
import type { DagParams } from './dag-params';

/**
 * Invokes the graph of an object whose class has `@node`/`@immediate` members but does not
 * extend `Dag` (it may extend something else). The class is scanned at its first invocation and
 * cached; a definition error rejects the returned promise, as does a bad argument.
 *
 * @example
 * ```ts
 * class Report extends BaseService {
 *   @immediate month() { return '2026-11'; }
 *   @node('month') async totals(month: string) { return this.db.totals(month); }
 * }
 * const result = await invokeDag(new Report(db));
 * result.get('totals');
 * ```
 */
export function invokeDag<T extends object>(
  instance: T,
  params?: DagParams<T>,
  options?: InvokeOptions,
): Promise<DagResult<T>> {
  // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- JavaScript callers may pass anything
  if (typeof instance !== 'object' || instance === null) {
    return Promise.reject(
      new TypeError(`Expected \`instance\` to be an object whose class has @node members, got ${shown(instance)}`),
    );
  }
  let graph;
  try {
    graph = classGraphOf(instance);
  } catch (error) {
    return Promise.reject(error);
  }
  return runGraph(graph, params, withInvokeDefaults(instance, options), instance) as Promise<unknown> as Promise<
    DagResult<T>
  >;
}
