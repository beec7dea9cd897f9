/**
 * Whether a function can observe one of its arguments, read from its source. The engine makes a
 * node's `ctx` only for bodies that can see it: for a small node, making it is a tenth of the
 * node's cost, and most bodies (`async (user) => ...`) declare no parameter for it.
 * Measured (`npm run bench -- --only=tricks`, case `ctx`, against a `ctx` for every body): a
 * 200-node graph of one-parameter bodies 9-16% faster (CPU 18-28%); the seed graph, -22% to +8%
 * over four runs (noise).
 *
 * Conservative: anything this reader does not fully understand counts as "can see it".
 */

/** Per function: how many parameters its source declares, or `undefined` when it may read past them. */
const declaredByFunction = new WeakMap<object, number | undefined>();

/**
 * Whether `fn` can observe its argument at `index` (0-based): it declares a parameter there, or
 * it may read past its parameters (a rest parameter, a default value, `arguments`), or it is a
 * sloppy-mode function (whose `arguments` others can reach through `fn.arguments` or a callee's
 * `caller`), or its source cannot be read (a bound or native function, a Proxy). Each
 * function's source is read once.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- a node's body takes whatever its dependencies give; `unknown[]` parameters would refuse `(x: number) => ...`
export function seesArgument(fn: (...args: any[]) => unknown, index: number): boolean {
  let declared: number | undefined;
  if (declaredByFunction.has(fn)) {
    declared = declaredByFunction.get(fn);
  } else {
    try {
      // Only sloppy-mode functions have an own `arguments` property; TypeScript's output is strict.
      declared = Object.hasOwn(fn, 'arguments') ? undefined : declaredParameters(Function.prototype.toString.call(fn));
    } catch {
      declared = undefined;
    }
    declaredByFunction.set(fn, declared);
  }
  return declared === undefined || declared > index;
}

/** Parts of a source after which this reader cannot vouch for the parameter count. */
const UNREADABLE = ['[native code]', 'arguments', '\\', 'eval', '<!--', '-->'];

const SINGLE_PARAMETER_ARROW = /^(?:async\s+)?[\p{ID_Start}$_][\p{ID_Continue}$\u200C\u200D]*\s*=>/u;

/**
 * The number of parameters `source` (a function's `toString()`) declares, when they are all
 * plain (no default value, no rest parameter) and the body never names `arguments`; otherwise
 * `undefined`. Destructuring patterns count as one parameter each. Also `undefined` for a source
 * with a backslash (an escaped identifier may spell `arguments`), `eval` (it may build the name)
 * or an HTML-like comment (`<!--`, `-->`: comments in CommonJS code, which this reader does not
 * skip).
 */
export function declaredParameters(source: string): number | undefined {
  if (UNREADABLE.some((part) => source.includes(part))) return undefined;
  if (SINGLE_PARAMETER_ARROW.test(source)) return 1;
  // The parameter list is the first `(` outside brackets, strings and comments: before it come
  // only keywords and the name, which may be a string or a computed key holding parentheses.
  let depth = 0;
  let i = 0;
  for (; i < source.length; i++) {
    const c = source[i]!;
    if (c === '"' || c === "'") {
      i = skipString(source, i);
      if (i < 0) return undefined;
    } else if (c === '/' || c === '`') {
      return undefined;
    } else if (c === '[' || c === '{') {
      depth++;
    } else if (c === ']' || c === '}') {
      depth--;
    } else if (c === '(') {
      if (depth === 0) break;
      depth++;
    } else if (c === ')') {
      depth--;
    }
  }
  if (i === source.length) return undefined;

  // Inside the list: count the parameters; a `=` or `...` at its top level ends the reading.
  let count = 0;
  let pending = false;
  depth = 0;
  for (i++; i < source.length; i++) {
    const c = source[i]!;
    if (c === '"' || c === "'") {
      i = skipString(source, i);
      if (i < 0) return undefined;
      pending = true;
    } else if (c === '/') {
      const end = skipComment(source, i);
      if (end < 0) return undefined;
      i = end;
    } else if (c === '`') {
      return undefined;
    } else if (c === '(' || c === '[' || c === '{') {
      depth++;
      pending = true;
    } else if (c === ')' || c === ']' || c === '}') {
      if (depth === 0) return c === ')' ? count + (pending ? 1 : 0) : undefined;
      depth--;
    } else if (depth === 0 && (c === '=' || c === '.')) {
      // A default value or a rest parameter: `length` stops counting there, the body may read on.
      return undefined;
    } else if (depth === 0 && c === ',') {
      if (pending) count++;
      pending = false;
    } else if (c.trim() !== '') {
      pending = true;
    }
  }
  return undefined;
}

/** The index of the quote that closes the string opened at `start`, or -1. */
function skipString(source: string, start: number): number {
  const quote = source[start];
  for (let i = start + 1; i < source.length; i++) {
    const c = source[i];
    if (c === '\\') i++;
    else if (c === quote) return i;
    else if (c === '\n') return -1;
  }
  return -1;
}

/** The index of the last character of the comment at `start`, or -1 when `/` starts no comment. */
function skipComment(source: string, start: number): number {
  const next = source[start + 1];
  if (next === '/') {
    const end = source.indexOf('\n', start);
    return end < 0 ? -1 : end;
  }
  if (next === '*') {
    const end = source.indexOf('*/', start + 2);
    return end < 0 ? -1 : end + 1;
  }
  return -1;
}
