import type { ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runChecked, type TestHost } from '../../../../test/support/netns';

/** How long sshd may take to say it listens before the test gives up. */
const SSHD_START_TIMEOUT_MS = 10_000;

/** The privilege separation directory Debian's sshd requires (normally made by its service unit). */
const PRIVSEP_DIR = '/run/sshd';

/** A key pair made by ssh-keygen: the private key (OpenSSH format) and its SHA-256 fingerprint. */
export interface TestKeyPair {
  readonly privateKey: string;
  readonly publicKey: string;
  readonly fingerprint: string;
}

/** Makes an Ed25519 key pair in `dir` with ssh-keygen. */
export async function makeKeyPair(dir: string, name: string): Promise<TestKeyPair> {
  const path = join(dir, name);
  await runChecked('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', name, '-f', path]);
  const listing = await runChecked('ssh-keygen', ['-l', '-E', 'sha256', '-f', `${path}.pub`]);
  return {
    privateKey: await readFile(path, 'utf8'),
    publicKey: await readFile(`${path}.pub`, 'utf8'),
    fingerprint: listing.split(' ')[1],
  };
}

/**
 * A real OpenSSH server (Debian's sshd) inside a test host, with its own host key, config,
 * authorized_keys (one client key for root) and port; `stop()` kills it and removes its files.
 */
export class SshdServer {
  private constructor(
    readonly host: TestHost,
    readonly port: number,
    readonly dir: string,
    readonly hostKey: TestKeyPair,
    readonly clientKey: TestKeyPair,
    private readonly process: ChildProcess,
  ) {}

  /** Starts sshd in `host` on `port` and resolves once it listens (password logins only if asked). */
  static async start(
    host: TestHost,
    port: number,
    options: { isPasswordAllowed?: boolean } = {},
  ): Promise<SshdServer> {
    const dir = await mkdtemp(join(tmpdir(), 'flotilla-sshd-'));
    await mkdir(PRIVSEP_DIR, { recursive: true, mode: 0o755 });
    const hostKey = await makeKeyPair(dir, 'host_ed25519');
    const clientKey = await makeKeyPair(dir, 'client_ed25519');
    await writeFile(join(dir, 'authorized_keys'), clientKey.publicKey, { mode: 0o600 });
    const config = join(dir, 'sshd_config');
    await writeFile(
      config,
      sshdConfig(dir, host.address, port, options.isPasswordAllowed ?? false),
    );
    const child = host.spawn('/usr/sbin/sshd', ['-D', '-e', '-f', config], {
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    const server = new SshdServer(host, port, dir, hostKey, clientKey, child);
    await server.listening().catch(async (error: unknown) => {
      await server.stop();
      throw error;
    });
    return server;
  }

  /** Kills sshd's per-connection processes: every client connection drops, sshd keeps listening. */
  async dropConnections(): Promise<void> {
    const pid = this.process.pid;
    const children = await readFile(`/proc/${pid}/task/${pid}/children`, 'utf8').catch(() => '');
    for (const child of children.split(' ').filter((text) => text.trim() !== '')) {
      process.kill(Number(child), 'SIGKILL');
    }
  }

  /** Stops sshd (its session children end with their connections) and removes its files. */
  async stop(): Promise<void> {
    if (this.process.exitCode === null && this.process.signalCode === null) {
      const exited = once(this.process, 'exit');
      this.process.kill('SIGTERM');
      await exited;
    }
    await rm(this.dir, { recursive: true, force: true });
  }

  private async listening(): Promise<void> {
    let log = '';
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`sshd in ${this.host.namespace} did not listen: ${log}`)),
        SSHD_START_TIMEOUT_MS,
      );
      this.process.stderr?.on('data', (chunk: Buffer) => {
        log += chunk.toString();
        if (log.includes('Server listening')) {
          clearTimeout(timer);
          resolve();
        }
      });
      this.process.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`sshd in ${this.host.namespace} exited with ${String(code)}: ${log}`));
      });
    });
  }
}

function sshdConfig(
  dir: string,
  address: string,
  port: number,
  isPasswordAllowed: boolean,
): string {
  return [
    `Port ${port}`,
    `ListenAddress ${address}`,
    `HostKey ${join(dir, 'host_ed25519')}`,
    `AuthorizedKeysFile ${join(dir, 'authorized_keys')}`,
    'PidFile none',
    'UsePAM no',
    'StrictModes no',
    'PermitRootLogin prohibit-password',
    `PasswordAuthentication ${isPasswordAllowed ? 'yes' : 'no'}`,
    'KbdInteractiveAuthentication no',
    'Subsystem sftp internal-sftp',
    // MaxSessions bounds channels per connection: a step uses a few at once.
    'MaxSessions 20',
    'LogLevel INFO',
    '',
  ].join('\n');
}
