import { execFile, spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';
import { promisify } from 'node:util';
import { DEMO_BRIDGE, DEMO_SUBNET } from './demo.constants';

const run = promisify(execFile);

/** Where a demo agent runs: a network namespace of its own (as root) or this machine. */
export interface DemoHost {
  readonly name: string;
  /** The host's address on the demo network; undefined for a local process. */
  readonly address?: string;
  /** Starts a long-running process on the host. */
  spawn(command: string, args: readonly string[], options: SpawnOptions): ChildProcess;
}

/**
 * The demo's hosts: as root, one network namespace per host on a private bridge (the broker is
 * reached through the bridge's address); otherwise local processes. `remove()` deletes whatever
 * was created, including leftovers of an earlier demo that was killed.
 */
export class DemoHosts {
  private constructor(
    readonly hosts: readonly DemoHost[],
    /** The address agents reach the broker at. */
    readonly brokerHost: string,
    private readonly namespaces: readonly string[],
  ) {}

  /** Creates the hosts: namespaces when `isRoot`, local processes otherwise. */
  static async create(names: readonly string[], isRoot: boolean): Promise<DemoHosts> {
    if (!isRoot) {
      const local = names.map((name) => ({ name, spawn: localSpawn }));
      return new DemoHosts(local, '127.0.0.1', []);
    }
    await removeNetwork(names.map(namespaceOf));
    await run('ip', ['link', 'add', DEMO_BRIDGE, 'type', 'bridge']);
    await run('ip', ['addr', 'add', `${DEMO_SUBNET}.1/24`, 'dev', DEMO_BRIDGE]);
    await run('ip', ['link', 'set', DEMO_BRIDGE, 'up']);
    const hosts: DemoHost[] = [];
    for (const [index, name] of names.entries()) {
      hosts.push(await addNamespaceHost(name, index + 2));
    }
    return new DemoHosts(hosts, `${DEMO_SUBNET}.1`, names.map(namespaceOf));
  }

  /** Deletes the namespaces and the bridge (nothing for local hosts). */
  async remove(): Promise<void> {
    if (this.namespaces.length > 0) {
      await removeNetwork(this.namespaces);
    }
  }
}

function localSpawn(command: string, args: readonly string[], options: SpawnOptions): ChildProcess {
  return spawn(command, args, options);
}

function namespaceOf(name: string): string {
  return `flotilla-${name}`;
}

async function addNamespaceHost(name: string, number: number): Promise<DemoHost> {
  const namespace = namespaceOf(name);
  const [outside, inside] = [`fdv${number}`, `fdi${number}`];
  const address = `${DEMO_SUBNET}.${number}`;
  await run('ip', ['netns', 'add', namespace]);
  await run('ip', ['link', 'add', outside, 'type', 'veth', 'peer', 'name', inside]);
  await run('ip', ['link', 'set', inside, 'netns', namespace]);
  await run('ip', ['link', 'set', outside, 'master', DEMO_BRIDGE, 'up']);
  const inNamespace = ['netns', 'exec', namespace, 'ip'];
  await run('ip', [...inNamespace, 'link', 'set', 'lo', 'up']);
  await run('ip', [...inNamespace, 'addr', 'add', `${address}/24`, 'dev', inside]);
  await run('ip', [...inNamespace, 'link', 'set', inside, 'up']);
  return {
    name,
    address,
    spawn: (command, args, options) =>
      spawn('ip', ['netns', 'exec', namespace, command, ...args], options),
  };
}

async function removeNetwork(namespaces: readonly string[]): Promise<void> {
  for (const namespace of namespaces) {
    // Missing already (a clean earlier run): nothing to kill or delete.
    await killProcessesIn(namespace).catch(() => undefined);
    await run('ip', ['netns', 'delete', namespace]).catch(() => undefined);
  }
  await run('ip', ['link', 'delete', DEMO_BRIDGE]).catch(() => undefined);
}

/**
 * Kills what still runs on a demo host (servers the recipes started when undeploying could not
 * finish): a process left inside would keep the namespace and its links alive after deletion.
 */
async function killProcessesIn(namespace: string): Promise<void> {
  const { stdout } = await run('ip', ['netns', 'pids', namespace]);
  for (const pid of stdout
    .split('\n')
    .map(Number)
    .filter((n) => n > 0)) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // ESRCH: it ended on its own meanwhile.
    }
  }
}
