import { once } from 'node:events';
import { Worker } from 'node:worker_threads';

// The worker loads TypeScript sources the way the test runner does (ts-node, source condition).
const WORKER_CODE = `
const { parentPort, workerData } = require('node:worker_threads');
require('ts-node/register/transpile-only');
Promise.resolve()
  .then(() => require(workerData.modulePath)[workerData.exportName]())
  .then(
    () => parentPort.postMessage({ isDone: true }),
    (error) => parentPort.postMessage({ isDone: false, error: String((error && error.stack) || error) }),
  );
`;

/**
 * Runs the function `exportName` of the module at `modulePath` in a worker thread and resolves once
 * it returned. Synchronous code cannot be interrupted in the test's own thread, so a hang would
 * block the whole run: here it is terminated after `limitMs` (a generous bound, not a timing)
 * and reported.
 * @throws Error naming the function when it throws, or when it has not returned within `limitMs`.
 */
export async function finishesWithin(
  modulePath: string,
  exportName: string,
  limitMs: number,
): Promise<void> {
  const worker = new Worker(WORKER_CODE, {
    eval: true,
    workerData: { modulePath, exportName },
    execArgv: ['--conditions=flotilla-source'],
  });
  const limit = AbortSignal.timeout(limitMs);
  try {
    const outcome = await Promise.race([
      once(worker, 'message') as Promise<[{ isDone: boolean; error?: string }]>,
      once(worker, 'error').then(([error]) => [{ isDone: false, error: String(error) }]),
      once(limit, 'abort').then(() => undefined),
    ]);
    if (outcome === undefined) {
      throw new Error(`${exportName} (${modulePath}) did not return within ${limitMs} ms: a hang`);
    }
    if (!outcome[0].isDone) {
      throw new Error(`${exportName} (${modulePath}) threw: ${outcome[0].error ?? ''}`);
    }
  } finally {
    await worker.terminate();
  }
}
