import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { AgentlessTargetPayload } from '@flotilla/protocol';
import {
  createFirewall,
  formatSshTarget,
  PortLedger,
  SshFirewall,
  type Firewall,
  type FirewallOptions,
  type SshConnectionPool,
  type SshTarget,
} from '@flotilla/recipes';
import { PRIVATE_STATE_DIR_MODE } from '../agent.constants';
import { InstanceStore } from '../instances/instance-store';
import type { AgentLogger } from '../support/agent-logger';
import { LedgerListingFirewall } from './ledger-listing-firewall';

/** What a proxy keeps per agentless target: its state directory, instances and firewall ledger. */
export interface AgentlessHost {
  /** `<data dir>/agentless/<user@host:port>`: instances, ledger, step logs of this target. */
  readonly dir: string;
  readonly instances: InstanceStore;
  readonly firewall: Firewall;
}

/** The per-target state of a proxy, created on a target's first step and kept while it runs. */
export class AgentlessHosts {
  private readonly hosts = new Map<string, AgentlessHost>();

  constructor(
    private readonly dataDir: string,
    private readonly pool: SshConnectionPool,
    private readonly logger: AgentLogger,
  ) {}

  /** The target's state; its firewall is nft over the pooled connection, or records only. */
  async hostOf(target: SshTarget, block: AgentlessTargetPayload): Promise<AgentlessHost> {
    const label = formatSshTarget(target);
    const key = [label, target.hostKeyFingerprint, block.firewall.backend, block.firewall.isManaged]
      .map(String)
      .join(' ');
    const known = this.hosts.get(key);
    if (known !== undefined) {
      return known;
    }
    const dir = join(this.dataDir, 'agentless', encodeURIComponent(label));
    await mkdir(dir, { recursive: true, mode: PRIVATE_STATE_DIR_MODE });
    const ledgerPath = join(dir, 'ports.ledger.json');
    const options: FirewallOptions = {
      ledger: new PortLedger(ledgerPath),
      managed: block.firewall.isManaged,
      // The proxy's own way in must survive a managed firewall.
      alwaysOpen: [{ port: block.port, protocol: 'tcp' }],
      logger: this.logger,
    };
    const firewall =
      block.firewall.backend === 'nft'
        ? new SshFirewall({ ...options, pool: this.pool, target })
        : createFirewall('none', options);
    const host: AgentlessHost = {
      dir,
      instances: new InstanceStore(dir),
      firewall: new LedgerListingFirewall(firewall, new PortLedger(ledgerPath)),
    };
    this.hosts.set(key, host);
    return host;
  }
}
