import type { KeyObject } from 'node:crypto';
import { Worker } from 'node:worker_threads';
import { DEFAULT_VERIFIER_WORKERS } from '../messaging.constants';
import { MessagingError } from '../errors';
import { verificationParametersOf } from './signature';
import type { SignatureVerifier } from './signature-verifier';

// The worker only runs node:crypto `verify` with the parameters the main thread chose from the
// trusted key; keys are sent once per worker and then named by number.
const WORKER_SOURCE = `
const { parentPort } = require('node:worker_threads');
const { verify } = require('node:crypto');
const keys = new Map();
parentPort.on('message', (message) => {
  if (message.kind === 'key') {
    keys.set(message.keyId, message.parameters);
    return;
  }
  const parameters = keys.get(message.keyId);
  let isValid = false;
  try {
    isValid = verify(parameters.algorithm, message.data, parameters.key, message.signature);
  } catch {
    isValid = false;
  }
  parentPort.postMessage({ id: message.id, isValid });
});
`;

interface Lane {
  readonly worker: Worker;
  readonly sentKeys: Set<number>;
  load: number;
}

interface Pending {
  readonly lane: Lane;
  readonly resolve: (isValid: boolean) => void;
  readonly reject: (error: Error) => void;
}

/** Options of {@link WorkerSignatureVerifier}. */
export interface WorkerSignatureVerifierOptions {
  /** Worker threads in the pool (default DEFAULT_VERIFIER_WORKERS). */
  readonly workers?: number;
}

/**
 * A signature verifier that runs node:crypto `verify` in a small pool of worker threads, each call
 * going to the least loaded one. Call `close()` to stop the workers.
 */
export class WorkerSignatureVerifier implements SignatureVerifier {
  private readonly lanes: Lane[];
  private readonly pending = new Map<number, Pending>();
  private readonly keyIds = new WeakMap<KeyObject, number>();
  private nextKeyId = 0;
  private nextId = 0;

  constructor(options: WorkerSignatureVerifierOptions = {}) {
    const size = options.workers ?? DEFAULT_VERIFIER_WORKERS;
    if (!Number.isInteger(size) || size < 1) {
      throw new MessagingError(
        'CONFIG_INVALID',
        `workers: must be a positive integer, got ${size}`,
      );
    }
    this.lanes = Array.from({ length: size }, () => this.startLane());
  }

  /** {@inheritDoc SignatureVerifier.verify} */
  verify(data: Buffer, signature: Buffer, publicKey: KeyObject): Promise<boolean> {
    const lane = this.lanes.reduce((best, candidate) =>
      candidate.load < best.load ? candidate : best,
    );
    const keyId = this.keyIdOf(publicKey);
    if (!lane.sentKeys.has(keyId)) {
      lane.worker.postMessage({
        kind: 'key',
        keyId,
        parameters: verificationParametersOf(publicKey),
      });
      lane.sentKeys.add(keyId);
    }
    const id = this.nextId++;
    lane.load += 1;
    return new Promise<boolean>((resolve, reject) => {
      this.pending.set(id, { lane, resolve, reject });
      lane.worker.postMessage({ kind: 'verify', id, keyId, data, signature });
    });
  }

  /** Stops the workers; verifications still pending reject. */
  async close(): Promise<void> {
    await Promise.all(this.lanes.map((lane) => lane.worker.terminate()));
  }

  private keyIdOf(publicKey: KeyObject): number {
    let keyId = this.keyIds.get(publicKey);
    if (keyId === undefined) {
      keyId = this.nextKeyId++;
      this.keyIds.set(publicKey, keyId);
    }
    return keyId;
  }

  private startLane(): Lane {
    const worker = new Worker(WORKER_SOURCE, { eval: true });
    const lane: Lane = { worker, sentKeys: new Set(), load: 0 };
    worker.on('message', (message: { id: number; isValid: boolean }) => {
      const pending = this.pending.get(message.id);
      this.pending.delete(message.id);
      lane.load -= 1;
      pending?.resolve(message.isValid === true);
    });
    const failAll = (reason: string): void => {
      for (const [id, pending] of this.pending) {
        if (pending.lane === lane) {
          this.pending.delete(id);
          pending.reject(new MessagingError('VERIFIER_UNAVAILABLE', reason));
        }
      }
    };
    worker.on('error', (error: Error) => failAll(`signature worker failed: ${error.message}`));
    worker.on('exit', (code: number) => failAll(`signature worker exited with code ${code}`));
    // The pool must not keep a process alive by itself; close() ends it explicitly.
    worker.unref();
    return lane;
  }
}
