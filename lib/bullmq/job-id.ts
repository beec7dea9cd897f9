/**
 * One part of a job id, percent-encoded so that any character may be in it: everything but
 * letters, digits, `-` and `_` is escaped, `.` (the separator) and `:` (which BullMQ refuses in
 * custom ids) included, so two different (run, node, attempt) never share an id.
 */
export function encodeIdPart(part: string): string {
  return encodedText(part).replace(/[.!'()*~]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/**
 * `encodeURIComponent`, which throws on a lone surrogate: that one is written `%uD800`, a form
 * `encodeURIComponent` never gives.
 */
function encodedText(part: string): string {
  if (!/[\uD800-\uDFFF]/.test(part)) return encodeURIComponent(part);
  let out = '';
  // By code point: a surrogate pair comes whole, a lone surrogate alone.
  for (const char of part) {
    const code = char.charCodeAt(0);
    out +=
      char.length === 1 && code >= 0xd800 && code <= 0xdfff
        ? `%u${code.toString(16).toUpperCase()}`
        : encodeURIComponent(char);
  }
  return out;
}

/**
 * The id of the job of one attempt of one node of one run: deterministic, so that dispatching
 * the same attempt twice (an orchestrator that retries, a resumed run) adds nothing: BullMQ
 * ignores an `add` whose id exists. The run's incarnation is part of it: a `runId` used again
 * once its run was forgotten names a new run, whose jobs are not the old run's jobs still kept.
 */
export function jobIdOf(runId: string, incarnation: string, node: string, attempt: number): string {
  return `${encodeIdPart(runId)}.${encodeIdPart(incarnation)}.${encodeIdPart(node)}.${attempt}`;
}

/**
 * The id of the job of a run started with `executor.start()`: one per run (and incarnation), so
 * starting it twice adds nothing, and a new run of a forgotten run's `runId` is not taken for the
 * old one's job still waiting. Prefixed, since BullMQ refuses an id that reads as an integer
 * (`runId: '42'`).
 */
export function runJobIdOf(runId: string, incarnation: string): string {
  return `run.${encodeIdPart(runId)}.${encodeIdPart(incarnation)}`;
}
