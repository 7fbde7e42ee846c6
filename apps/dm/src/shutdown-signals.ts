import type { DmServer } from './bootstrap';

const SHUTDOWN_SIGNALS = ['SIGTERM', 'SIGINT'] as const;

/** Closes the DM on SIGTERM or SIGINT, then lets the process exit on its own. */
export function closeOnShutdownSignals(
  server: DmServer,
  onError: (error: unknown) => void = () => {
    process.exitCode = 1;
  },
): void {
  const shutdown = () => {
    SHUTDOWN_SIGNALS.forEach((signal) => process.off(signal, shutdown));
    server.close().catch(onError);
  };
  SHUTDOWN_SIGNALS.forEach((signal) => process.once(signal, shutdown));
}
