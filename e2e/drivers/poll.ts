/**
 * Polls a page predicate from Node. A driver's own wait can hang when the
 * document is replaced by a reload the extension started (seen with WebDriver
 * BiDi in Firefox); evaluating afresh each time survives any navigation.
 */
export async function pollPage<A>(
  evaluate: (fn: (arg: A) => unknown, arg?: A) => Promise<unknown>,
  fn: (arg: A) => unknown,
  arg: A | undefined,
  timeoutMs: number,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown = null;
  while (Date.now() < deadline) {
    try {
      if (await evaluate(fn, arg)) return;
      lastError = null;
    } catch (e) {
      lastError = e; // the document is being replaced; try again
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`page condition not met within ${timeoutMs} ms${lastError ? ` (last error: ${String(lastError)})` : ''}: ${fn.toString()}`);
}
