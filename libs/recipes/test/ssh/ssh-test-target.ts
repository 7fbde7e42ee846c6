import { readFile } from 'node:fs/promises';
import type { SshTarget } from '@flotilla/recipes';
import type { SshdServer } from './sshd-server';

/** The SSH target of a test sshd: root with the server's client key, pinned to its host key. */
export function targetOf(sshd: SshdServer, overrides: Partial<SshTarget> = {}): SshTarget {
  return {
    host: sshd.host.address,
    port: sshd.port,
    user: 'root',
    hostKeyFingerprint: sshd.hostKey.fingerprint,
    credential: { kind: 'private-key', privateKey: sshd.clientKey.privateKey },
    ...overrides,
  };
}

/** True while process `pid` exists and is not a zombie waiting to be reaped. */
export async function isProcessAlive(pid: number): Promise<boolean> {
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => undefined);
  return (
    stat !== undefined && stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z'
  );
}
