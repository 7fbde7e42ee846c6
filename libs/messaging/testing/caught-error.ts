/** The error a promise rejects with, or `undefined` when it resolves (to assert on refusals). */
export async function caughtError(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => undefined,
    (error: unknown) => error,
  );
}
