import { setTimeout as delay } from 'node:timers/promises';
import type { RabbitManagementClient } from '@flotilla/messaging';

const POLL_INTERVAL_MS = 250;

/**
 * Force-closes, through the management API, every connection whose client-given name is
 * `connectionName`, polling until at least one is listed (the API shows new connections only after
 * its next statistics tick); returns how many were closed.
 * @throws Error when no such connection shows up within `timeoutMs`.
 */
export async function forceCloseConnections(
  management: RabbitManagementClient,
  connectionName: string,
  timeoutMs = 20_000,
): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const named = (await management.listConnections()).filter(
      (connection) => connection.userProvidedName === connectionName,
    );
    for (const connection of named) {
      await management.closeConnection(connection.name, `test: force-close ${connectionName}`);
    }
    if (named.length > 0) {
      return named.length;
    }
    await delay(POLL_INTERVAL_MS);
  }
  throw new Error(`no connection named ${connectionName} was listed within ${timeoutMs} ms`);
}
