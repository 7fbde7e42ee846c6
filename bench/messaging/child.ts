// One benchmark process: a publisher or a consumer, raw or envelope, driven over IPC by run.ts.
import { once } from 'node:events';
import { FlotillaTopology } from '@flotilla/messaging';
import type { BenchJob, BenchMessage } from './bench.constants';
import { consumeEnvelopes, publishEnvelopes } from './envelope-roles';
import { consumeRaw, publishRaw } from './raw-roles';

function send(message: BenchMessage): void {
  process.send?.(message);
}

async function waitForStart(): Promise<void> {
  send({ kind: 'ready' });
  for (;;) {
    const [message] = (await once(process, 'message')) as [BenchMessage];
    if (message.kind === 'start') {
      return;
    }
  }
}

async function main(): Promise<void> {
  const job = JSON.parse(process.argv[2] ?? '{}') as BenchJob;
  const onReady = (): void => send({ kind: 'ready' });
  const route = new FlotillaTopology({ namespace: job.namespace }).routeOf(job.queue);
  let count: number;
  if (job.role === 'publisher') {
    count =
      job.mode === 'raw'
        ? await publishRaw(job, waitForStart)
        : await publishEnvelopes(job, waitForStart);
  } else {
    count =
      job.mode === 'raw'
        ? await consumeRaw(job, onReady)
        : await consumeEnvelopes(job, route, onReady);
  }
  send({ kind: 'done', count });
}

main().then(
  () => process.disconnect?.(),
  (error: unknown) => {
    send({
      kind: 'failed',
      error: error instanceof Error ? (error.stack ?? error.message) : String(error),
    });
    process.exitCode = 1;
    process.disconnect?.();
  },
);
