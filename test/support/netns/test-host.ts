import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';
import { runCommand, type CommandOutput } from './run-command';

/** A test host: a network namespace with one address on its test network's private /24. */
export class TestHost {
  constructor(
    /** The short name the test gave (`web`). */
    readonly name: string,
    /** The namespace name (`flt-<pid>-<tag>-web`). */
    readonly namespace: string,
    /** This host's IPv4 address. */
    readonly address: string,
  ) {}

  /** The prefix that runs a command inside this host: `ip netns exec <namespace>`. */
  get execPrefix(): string[] {
    return ['ip', 'netns', 'exec', this.namespace];
  }

  /** Runs a command inside the host and resolves with its output, whatever its exit code. */
  exec(command: string, args: readonly string[] = []): Promise<CommandOutput> {
    return runCommand('ip', ['netns', 'exec', this.namespace, command, ...args]);
  }

  /** Starts a long-running process inside the host (the caller stops it). */
  spawn(command: string, args: readonly string[] = [], options: SpawnOptions = {}): ChildProcess {
    return spawn('ip', ['netns', 'exec', this.namespace, command, ...args], options);
  }
}
