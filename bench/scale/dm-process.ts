// The benchmark's DM: the real DM (Nest, PostgreSQL, broker) in its own process so that its RSS and
// CPU time can be read from /proc. Configured through FLOTILLA_* variables; answers `ready` with
// its URL and thumbprint, and closes on `stop`.
import { bootstrap, DM_IDENTITY, DmBroker } from '@flotilla/dm';
import type { Identity } from '@flotilla/messaging';
import type { DmProcessMessage } from './scale-messages';

async function main(): Promise<void> {
  const server = await bootstrap({
    env: process.env,
    listenPort: 0,
    output: { write: () => true },
  });
  let closing: Promise<void> | undefined;
  const close = (): void => {
    // Exits once closed, whatever handle is left (a pool's idle timer), so that a V8 CPU profile
    // is written (a child killed after the grace period writes none).
    closing ??= server.close().finally(() => {
      process.disconnect?.();
      process.exit();
    });
  };
  process.on('message', (message: { kind: string }) => {
    if (message.kind === 'stop') {
      close();
    }
  });
  process.on('SIGINT', close);
  process.on('SIGTERM', close);
  await server.app.get(DmBroker).whenReady();
  const identity = server.app.get<Identity>(DM_IDENTITY);
  process.send?.({
    kind: 'ready',
    url: server.url,
    thumbprint: identity.thumbprint,
  } satisfies DmProcessMessage);
}

main().catch((error: unknown) => {
  process.send?.({
    kind: 'failed',
    error: error instanceof Error ? (error.stack ?? error.message) : String(error),
  });
  process.exitCode = 1;
});
