import { combineObservers, resolveInvokeOptions, type DagObserver, type InvokeOptions } from '../run';
import { shown } from '../errors';
import { classChain, classOf } from './class-of';

/** Defaults set on a class (they apply to its subclasses too) or on one instance. */
const defaultsByTarget = new WeakMap<object, Readonly<InvokeOptions>>();
/** Observers that run beside whatever observer an invocation of that instance ends up with. */
const alongsideByInstance = new WeakMap<object, DagObserver>();
/** Bumped on every change; 0 means no default was ever set, so `invoke` takes the fast path. */
let version = 0;
/** Per class: the defaults of its whole chain, merged base first, for the current `version`. */
const chainCache = new WeakMap<
  Function,
  { readonly version: number; readonly defaults: Readonly<InvokeOptions> | undefined }
>();

/** The keys of `options` that are set (a key given as `undefined` keeps the default). */
/** Own keys, as invoke reads them (symbols and non-enumerable keys included, so validation sees them too). */
function setKeys(options: InvokeOptions): (string | symbol)[] {
  return Reflect.ownKeys(options).filter((key) => (options as Record<PropertyKey, unknown>)[key] !== undefined);
}

/**
 * Sets the invocation defaults of a class (and its subclasses) or of one instance; `undefined`
 * removes them. `invoke` merges class defaults < instance defaults < per-call options, key by
 * key; a per-call key that is `undefined` keeps the default. An `alongside` observer (instances
 * only: a Nest app's logger) is not a default: it runs beside whichever observer the invocation
 * ends up with, the per-call one included.
 *
 * @example
 * setInvokeDefaults(EventFlow, { concurrency: 4 });
 * setInvokeDefaults(flow, { failFast: false }, nestLoggerObserver());
 */
export function setInvokeDefaults(
  target: object | Function,
  defaults: InvokeOptions | undefined,
  alongside?: DagObserver,
): void {
  // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- JavaScript callers may pass anything
  if ((typeof target !== 'object' || target === null) && typeof target !== 'function') {
    throw new TypeError(`Expected \`target\` to be a class or an instance, got ${shown(target)}`);
  }
  version++;
  if (alongside === undefined || typeof target === 'function') alongsideByInstance.delete(target);
  else alongsideByInstance.set(target, alongside);
  if (defaults === undefined) {
    defaultsByTarget.delete(target);
    return;
  }
  const checked = resolveInvokeOptions(defaults);
  if (checked instanceof TypeError) throw checked;
  if (defaults.runId !== undefined) {
    // A default id would make every run of the class one and the same run.
    throw new TypeError('Expected no `runId` in invoke defaults: a run id names one run; pass it to `invoke` instead');
  }
  const copy: InvokeOptions = {};
  // Every key, not a list of known ones: validation has rejected unknown keys already.
  for (const key of setKeys(defaults))
    (copy as Record<PropertyKey, unknown>)[key] = (defaults as Record<PropertyKey, unknown>)[key];
  defaultsByTarget.set(target, Object.freeze(copy));
}

function merge(base: Readonly<InvokeOptions> | undefined, over: InvokeOptions | undefined): InvokeOptions | undefined {
  if (base === undefined) return over;
  if (over === undefined) return base;
  const merged: Record<PropertyKey, unknown> = { ...base };
  // Every key of `over`, known or not: an unknown one must reach validation and be rejected there
  // (defined, not assigned: an own `__proto__` key stays a key, and is refused).
  for (const key of setKeys(over)) {
    const value = (over as Record<PropertyKey, unknown>)[key];
    Object.defineProperty(merged, key, { value, writable: true, enumerable: true, configurable: true });
  }
  return merged;
}

function classDefaults(Class: Function): Readonly<InvokeOptions> | undefined {
  const cached = chainCache.get(Class);
  if (cached?.version === version) return cached.defaults;
  const chain = classChain(Class);
  let defaults: Readonly<InvokeOptions> | undefined;
  for (let i = chain.length - 1; i >= 0; i--) defaults = merge(defaults, defaultsByTarget.get(chain[i]!));
  chainCache.set(Class, { version, defaults });
  return defaults;
}

/**
 * The options one invocation of `instance` runs with. Returns `options` itself when no default
 * was ever set, so that invoking costs nothing more than the engine's own work.
 */
export function withInvokeDefaults(instance: object, options: InvokeOptions | undefined): InvokeOptions | undefined {
  if (version === 0) return options;
  const Class = classOf(instance);
  const fromClass = Class === undefined ? undefined : classDefaults(Class);
  const defaults = merge(fromClass, defaultsByTarget.get(instance));
  const alongside = alongsideByInstance.get(instance);
  if (defaults === undefined && alongside === undefined) return options;
  // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- a JavaScript caller's `null` or number goes on to the engine, which rejects it with a TypeError
  if (options !== undefined && (options === null || typeof options !== 'object')) return options;
  let merged: InvokeOptions | undefined;
  try {
    merged = merge(defaults, options);
  } catch {
    // An option whose getter throws: hand the options on untouched, so that the engine reads
    // them again and rejects the invocation with that error (invoke never throws).
    return options;
  }
  if (alongside === undefined) return merged;
  const observer = merged?.observer;
  // A bad observer (from a JavaScript caller) stays as it is, for the engine to reject with its TypeError.
  // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- typed as an object, may be anything at run time
  if (observer !== undefined && (typeof observer !== 'object' || observer === null)) return merged;
  return { ...merged, observer: combineObservers(observer === undefined ? [alongside] : [alongside, observer]) };
}
