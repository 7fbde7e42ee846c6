import { createServer } from 'node:net';

/** A TCP port that is free on this host right now, chosen by the kernel (bind to port 0). */
export function pickFreePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, () => {
      const address = server.address();
      server.close(() => {
        if (address === null || typeof address === 'string') {
          reject(new Error('the kernel gave no TCP port for a random[port] export'));
          return;
        }
        resolve(address.port);
      });
    });
  });
}

/**
 * The instance's exports with a value for every `random[port]` export: the one it already holds on
 * this agent if any (a port never changes once chosen), otherwise a free port.
 */
export async function withRandomPorts(
  exports: Readonly<Record<string, string>>,
  randomPorts: readonly string[],
  held: Readonly<Record<string, string>>,
): Promise<Record<string, string>> {
  const result: Record<string, string> = { ...exports };
  for (const name of randomPorts) {
    result[name] = held[name] ?? result[name] ?? String(await pickFreePort());
  }
  return result;
}
