import { execFile } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { SshdServer } from '../../libs/recipes/test/ssh/sshd-server';

const run = promisify(execFile);

/** True when Debian's `ansible` command is on PATH. */
export async function hasAnsible(): Promise<boolean> {
  return run('ansible', ['--version']).then(
    () => true,
    () => false,
  );
}

/** Installs Debian's ansible package (root only). */
export async function installAnsible(): Promise<void> {
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  await run('apt-get', ['install', '-y', '-q', '--no-install-recommends', 'ansible'], {
    env,
    maxBuffer: 64 * 1024 * 1024,
  });
}

/**
 * Runs ad-hoc `ansible` command-module invocations against the test sshd, with the same host-key
 * pinning as Flotilla (a known_hosts file holding only the server's key, strict checking) and
 * Ansible's default SSH multiplexing (ControlPersist), all state under `dir`.
 */
export class AnsibleRunner {
  private constructor(
    private readonly inventory: string,
    private readonly env: NodeJS.ProcessEnv,
  ) {}

  /** Writes the inventory, known_hosts and key files under `dir`. */
  static async prepare(sshd: SshdServer, dir: string): Promise<AnsibleRunner> {
    await mkdir(join(dir, 'cp'), { recursive: true, mode: 0o700 });
    const key = join(dir, 'client_key');
    await writeFile(key, sshd.clientKey.privateKey, { mode: 0o600 });
    const knownHosts = join(dir, 'known_hosts');
    await writeFile(knownHosts, `[${sshd.host.address}]:${sshd.port} ${sshd.hostKey.publicKey}`);
    const inventory = join(dir, 'inventory.ini');
    await writeFile(
      inventory,
      `target ansible_host=${sshd.host.address} ansible_port=${sshd.port} ansible_user=root ansible_ssh_private_key_file=${key}\n`,
    );
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      ANSIBLE_HOST_KEY_CHECKING: 'True',
      ANSIBLE_SSH_ARGS: `-C -o ControlMaster=auto -o ControlPersist=60s -o UserKnownHostsFile=${knownHosts} -o StrictHostKeyChecking=yes`,
      ANSIBLE_SSH_CONTROL_PATH: join(dir, 'cp', '%%C'),
      ANSIBLE_PYTHON_INTERPRETER: '/usr/bin/python3',
      ANSIBLE_LOCAL_TEMP: join(dir, 'local-tmp'),
      ANSIBLE_REMOTE_TEMP: join(dir, 'remote-tmp'),
      ANSIBLE_HOME: join(dir, 'home'),
      ANSIBLE_NOCOLOR: '1',
    };
    return new AnsibleRunner(inventory, env);
  }

  /**
   * Runs `command` once through the ad-hoc command module.
   * @throws Error with Ansible's output when the command does not succeed.
   */
  async command(command: string): Promise<void> {
    await run(
      'ansible',
      ['target', '-i', this.inventory, '-m', 'ansible.builtin.command', '-a', command],
      {
        env: this.env,
      },
    ).catch((error: unknown) => {
      const output = error as { stdout?: string; stderr?: string };
      throw new Error(`ansible failed: ${output.stdout ?? ''}${output.stderr ?? ''}`, {
        cause: error,
      });
    });
  }

  /** Stops the multiplexing master ssh that ControlPersist left running. */
  async stop(sshd: SshdServer): Promise<void> {
    const controlPath = (this.env.ANSIBLE_SSH_CONTROL_PATH ?? '').replace('%%', '%');
    await run('ssh', [
      '-o',
      `ControlPath=${controlPath}`,
      '-p',
      String(sshd.port),
      '-O',
      'exit',
      `root@${sshd.host.address}`,
    ]).catch(() => undefined);
  }
}
