import { once } from 'node:events';
import type { ChildProcess } from 'node:child_process';
import type { DemoHost } from './demo-hosts';

const STOP_TIMEOUT_MS = 15_000;

/** The settings every demo agent shares. */
export interface DemoAgentSettings {
  readonly enrollUrlFor: (host: DemoHost) => string;
  readonly brokerNamespace: string;
  readonly dmThumbprint: string;
  readonly dataDirOf: (name: string) => string;
  readonly hasFirewall: boolean;
}

/** The demo's agent processes: `flotilla agent` started on each host, stopped with SIGTERM. */
export class DemoAgents {
  private readonly processes = new Map<string, ChildProcess>();
  private readonly logs = new Map<string, string>();

  /** Starts `flotilla agent` (this very CLI) on `host`, named after it. */
  start(host: DemoHost, settings: DemoAgentSettings): void {
    const child = host.spawn(process.execPath, [process.argv[1] ?? 'flotilla', 'agent'], {
      env: {
        PATH: process.env.PATH ?? '/usr/bin:/bin',
        FLOTILLA_AGENT_NAME: host.name,
        FLOTILLA_AMQP_URL: settings.enrollUrlFor(host),
        FLOTILLA_BROKER_NAMESPACE: settings.brokerNamespace,
        FLOTILLA_DM_THUMBPRINT: settings.dmThumbprint,
        FLOTILLA_DATA_DIR: settings.dataDirOf(host.name),
        FLOTILLA_FIREWALL: settings.hasFirewall ? 'nft' : 'none',
        FLOTILLA_FIREWALL_MANAGED: settings.hasFirewall ? 'true' : 'false',
        FLOTILLA_HEARTBEAT_INTERVAL_MS: '5000',
        FLOTILLA_LOG_LEVEL: 'warn',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
      // Their own process group: Ctrl-C in the terminal reaches only the demo, which undeploys
      // through the agents before it stops them (agents that got the SIGINT too would be gone).
      detached: true,
    });
    this.logs.set(host.name, '');
    const keep = (chunk: Buffer): void => {
      this.logs.set(
        host.name,
        `${this.logs.get(host.name) ?? ''}${chunk.toString()}`.slice(-20_000),
      );
    };
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
    this.processes.set(host.name, child);
  }

  /** What an agent printed (the last 20 kB), for error reports. */
  logOf(name: string): string {
    return this.logs.get(name) ?? '';
  }

  /** Stops every agent (SIGTERM, SIGKILL after 15 s). */
  async stop(): Promise<void> {
    await Promise.all(
      [...this.processes.values()].map(async (child) => {
        if (child.exitCode !== null || child.signalCode !== null) {
          return;
        }
        const exited = once(child, 'exit');
        child.kill('SIGTERM');
        const killer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
        await exited;
        clearTimeout(killer);
      }),
    );
  }
}
