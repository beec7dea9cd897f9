import { DagDefinitionError } from '../errors';
import { addGraphSource, compileGraph, type Graph } from '../graph';
import { shown } from '../errors';
import { classOf } from './class-of';
import { scanClass } from './class-scanner';
import { declarationState, hasDeclarations } from './declarations-accessor';
import { DAG_CLASS } from './metadata-keys';

/** Per class: its compiled graph, or the definition error it failed with (thrown again on every use). */
const graphs = new WeakMap<Function, Graph | DagDefinitionError>();

/**
 * Graphs of classes that had no decorated member of their own when scanned, with the number of
 * declarations their chain had then. Such a graph may have been scanned before the class's
 * decorators ran: legacy decorators run after the class body, so a static field that makes an
 * instance (`static shared = new Flow()`) comes first. It is never cached for good; it is used
 * while the count stays the same (a subclass that only overrides), and scanned again once it changes.
 */
const provisional = new WeakMap<Function, { readonly count: number; readonly graph: Graph | DagDefinitionError }>();

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
    return compileGraph(scan.owner, scan.definitions, undefined, scan.owner);
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
    const state = declarationState(Class);
    const early = provisional.get(Class);
    if (!state.own && early?.count === state.count) {
      graph = early.graph;
    } else {
      graph = build(Class);
      if (state.own) {
        graphs.set(Class, graph);
        provisional.delete(Class);
      } else {
        provisional.set(Class, { count: state.count, graph });
      }
    }
  }
  if (graph instanceof DagDefinitionError) throw graph;
  return graph;
}

// `graphOf` finds a class's graph through the graph module, not by importing the DSL (see
// lib/graph/graph-sources.ts). Evaluated with this module, before any class can use a decorator.
addGraphSource((source) => (isDagClass(classOf(source)) ? classGraphOf(source) : undefined));

/**
 * `false` while the graph of `Class` is provisional (see `provisional`): an instance made then
 * must look its graph up again when it is invoked.
 */
export function isGraphFinal(Class: Function): boolean {
  return graphs.has(Class);
}
