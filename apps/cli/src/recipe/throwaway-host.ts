import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { chmod, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { createCommandExecutor, type CommandExecutor } from '@flotilla/recipes';

const run = promisify(execFile);
const IP_CANDIDATES = ['/usr/sbin/ip', '/sbin/ip', '/usr/bin/ip', '/bin/ip'];

function shellQuote(text: string): string {
  return `'${text.replaceAll("'", `'\\''`)}'`;
}

/**
 * Where `flotilla recipe test` runs scripts: a throwaway network namespace (`ip netns`, root only)
 * so that a recipe's servers and firewall rules never touch the real host, or this host itself.
 */
export class ThrowawayHost {
  private constructor(
    /** The namespace name, or undefined when scripts run on this host. */
    readonly namespace: string | undefined,
    private readonly ipPath: string | undefined,
  ) {}

  /** Creates a namespace with loopback up when running as root with `ip`; otherwise this host. */
  static async create(useNamespace: boolean): Promise<ThrowawayHost> {
    const ipPath = IP_CANDIDATES.find((candidate) => existsSync(candidate));
    if (!useNamespace || ipPath === undefined || process.getuid?.() !== 0) {
      return new ThrowawayHost(undefined, undefined);
    }
    const namespace = `flt-recipe-${randomBytes(4).toString('hex')}`;
    await run(ipPath, ['netns', 'add', namespace]);
    await run(ipPath, ['-n', namespace, 'link', 'set', 'lo', 'up']);
    return new ThrowawayHost(namespace, ipPath);
  }

  /** Describes where scripts run, for the report. */
  describe(): string {
    return this.namespace === undefined
      ? 'this host (no network namespace: not root, or no ip command)'
      : `the throwaway network namespace ${this.namespace}`;
  }

  /** Runs firewall and inspection commands inside the namespace (or here). */
  executor(): CommandExecutor {
    return createCommandExecutor(
      this.namespace === undefined || this.ipPath === undefined
        ? []
        : [this.ipPath, 'netns', 'exec', this.namespace],
    );
  }

  /**
   * The script to hand to the runner: the script itself here, or a wrapper in `workDir` that
   * `exec`s it inside the namespace (`ip netns exec` keeps the process and its group).
   */
  async wrap(scriptPath: string, workDir: string, step: string): Promise<string> {
    if (this.namespace === undefined || this.ipPath === undefined) {
      return scriptPath;
    }
    const wrapper = join(workDir, `in-namespace-${step}.sh`);
    const command = [this.ipPath, 'netns', 'exec', this.namespace, scriptPath].map(shellQuote);
    await writeFile(wrapper, `#!/bin/sh\nexec ${command.join(' ')} "$@"\n`);
    await chmod(wrapper, 0o755);
    return wrapper;
  }

  /** The TCP and UDP ports something listens on (`ss -tuln`), as `proto address:port` lines. */
  async listeningPorts(): Promise<string[]> {
    const result = await this.executor().run('ss', ['-H', '-tuln']);
    return result.stdout
      .split('\n')
      .map((line) => line.trim().split(/\s+/))
      .filter((fields) => fields.length >= 5)
      .map((fields) => `${fields[0]} ${fields[4]}`);
  }

  /** Kills whatever the recipes left running in the namespace and deletes it; returns the pids. */
  async destroy(): Promise<string[]> {
    if (this.namespace === undefined || this.ipPath === undefined) {
      return [];
    }
    const { stdout } = await run(this.ipPath, ['netns', 'pids', this.namespace]);
    const pids = stdout.split('\n').filter((pid) => /^\d+$/.test(pid));
    for (const pid of pids) {
      try {
        process.kill(Number(pid), 'SIGKILL');
      } catch {
        // Gone already between listing and killing: nothing left to do.
      }
    }
    await run(this.ipPath, ['netns', 'del', this.namespace]);
    return pids;
  }
}
