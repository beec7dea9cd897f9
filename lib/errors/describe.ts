/** A short, safe description of any thrown value, for messages. */
export function describe(value: unknown): string {
  try {
    // By shape, not `instanceof Error`: errors from another realm (a DOMException under jest,
    // a vm context) must show their plain message too.
    if (typeof value === 'object' && value !== null) {
      const { message, name } = value as { message?: unknown; name?: unknown };
      if (typeof message === 'string' && message !== '') return message;
      if (typeof message === 'string' && typeof name === 'string') return name;
    }
    return typeof value === 'string' ? value : String(value);
  } catch {
    return Object.prototype.toString.call(value);
  }
}

/** What a value is, for messages: `` `0` (number) ``. */
export function shown(value: unknown): string {
  if (typeof value === 'function') return `a function (${value.name || 'anonymous'})`;
  let text: string;
  try {
    text = typeof value === 'string' ? JSON.stringify(value) : String(value);
  } catch {
    text = Object.prototype.toString.call(value);
  }
  return `\`${text}\` (${value === null ? 'null' : typeof value})`;
}
