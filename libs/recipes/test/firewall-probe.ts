import { once } from 'node:events';
import type { ChildProcess } from 'node:child_process';
import type { TestHost } from '../../../test/support/netns';
import { fixturePath } from './recipe-fixtures';

/** How long a probe waits for a TCP answer before calling the port unreachable (a dropped SYN never answers). */
const PROBE_TIMEOUT_MS = 1_500;

/** True when `from` can open a TCP connection to `to:port`. */
export async function canConnect(from: TestHost, to: TestHost, port: number): Promise<boolean> {
  const result = await from.exec('node', [
    fixturePath('tcp-probe.js'),
    to.address,
    String(port),
    String(PROBE_TIMEOUT_MS),
  ]);
  return result.exitCode === 0;
}

/** Starts a TCP server inside `host` on `port` and resolves once it listens. */
export async function startTcpServer(host: TestHost, port: number): Promise<ChildProcess> {
  const server = host.spawn('node', [fixturePath('tcp-server.js'), host.address, String(port)], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const [chunk] = (await once(server.stdout!, 'data')) as [Buffer];
  if (!chunk.toString().includes('listening')) {
    throw new Error(`TCP server in ${host.namespace} did not start: ${chunk.toString()}`);
  }
  return server;
}

/** Stops a server started by `startTcpServer` and waits for it to exit. */
export async function stopTcpServer(server: ChildProcess | undefined): Promise<void> {
  if (server && server.exitCode === null && server.signalCode === null) {
    const exited = once(server, 'exit');
    server.kill('SIGTERM');
    await exited;
  }
}
