/**
 * How a node ended: `'skipped'` when it never ran to an end (a dependency failed, or the run stopped first).
 *
 * @example
 * if (result.status('sendEmail') === 'rejected') retryLater();
 */
export type NodeStatus = 'fulfilled' | 'rejected' | 'skipped';
