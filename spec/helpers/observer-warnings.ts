/**
 * Captures the `DagObserverWarning`s that a test provokes on purpose (an observer that throws),
 * so that they do not print a stack trace into the test output, and so that the test can assert
 * on them. Other warnings go through as usual. Call `restore()` (or `jest.restoreAllMocks()`)
 * when done.
 */
export function captureObserverWarnings(): { readonly messages: string[]; restore(): void } {
  const messages: string[] = [];
  const original = process.emitWarning.bind(process) as (...args: unknown[]) => void;
  const spy = jest.spyOn(process, 'emitWarning').mockImplementation(((warning: unknown, options?: unknown) => {
    const type = typeof options === 'object' && options !== null ? (options as { type?: unknown }).type : options;
    if (type === 'DagObserverWarning') messages.push(String(warning));
    else original(warning, options);
  }) as typeof process.emitWarning);
  return { messages, restore: () => spy.mockRestore() };
}
