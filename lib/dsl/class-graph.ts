import { DagDefinitionError } from '../errors';
import { compileGraph, type Graph } from '../graph';
import { shown } from '../errors';
import { classOf } from './class-of';
import { scanClass } from './class-scanner';
import { hasDeclarations } from './declarations-accessor';
import { DAG_CLASS } from './metadata-keys';

/** Per class: its compiled graph, or the definition error it failed with (thrown again on every use). */
const graphs = new WeakMap<Function, Graph | DagDefinitionError>();

/** Members of `Dag` itself that a node may not replace. */
const DAG_MEMBERS = ['invoke'];

/** `true` for a class that extends `Dag` (from any copy of the library) or has `@node`/`@immediate` members. Never scans. */
export function isDagClass(value: unknown): boolean {
  if (typeof value !== 'function') return false;
  return (value as unknown as Record<symbol, unknown>)[DAG_CLASS] === true || hasDeclarations(value);
}

function build(Class: Function): Graph | DagDefinitionError {
  const extendsDag = (Class as unknown as Record<symbol, unknown>)[DAG_CLASS] === true;
  const scan = scanClass(Class, extendsDag ? { reserved: DAG_MEMBERS } : {});
  if (!scan.ok)
    return new DagDefinitionError(
      scan.code,
      scan.message,
      scan.cause === undefined ? undefined : { cause: scan.cause },
    );
  try {
    return compileGraph(scan.owner, scan.definitions);
  } catch (error) {
    if (error instanceof DagDefinitionError) return error;
    throw error;
  }
}

/**
 * The graph of a class (or of an instance's class): scanned, validated and compiled on first
 * use, then cached for the class. Throws the class's `DagDefinitionError` on every call if its
 * definition is wrong, and a `TypeError` for something that is not a class of the DSL.
 */
export function classGraphOf(target: unknown): Graph {
  const Class =
    (typeof target === 'object' && target !== null) || typeof target === 'function' ? classOf(target) : undefined;
  let graph = Class === undefined ? undefined : graphs.get(Class);
  if (graph === undefined) {
    if (Class === undefined || !isDagClass(Class)) {
      throw new TypeError(
        `Expected a class that extends Dag or has @node/@immediate members, or an instance of one, got ${shown(target)}`,
      );
    }
    graph = build(Class);
    graphs.set(Class, graph);
  }
  if (graph instanceof DagDefinitionError) throw graph;
  return graph;
}
