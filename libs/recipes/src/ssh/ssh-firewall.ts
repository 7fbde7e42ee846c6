import type { FirewallOptions } from '../firewall/firewall';
import { NftFirewall } from '../firewall/nft-firewall';
import { toNftDocument, type NftCommand } from '../firewall/nft-ruleset';
import { SshCommandExecutor } from './ssh-command-executor';
import type { SshConnectionPool } from './ssh-connection-pool';
import type { SshTarget } from './ssh-target';

/** Options of an `SshFirewall`: the usual firewall options, with the target instead of an executor. */
export interface SshFirewallOptions extends Omit<FirewallOptions, 'executor'> {
  readonly pool: SshConnectionPool;
  readonly target: SshTarget;
}

/**
 * The nftables firewall of an agentless target, driven over its pooled SSH connection (behind
 * `sudo -n` when the target says so): the same `inet flotilla` table, atomic batches and ledger
 * rules as the agent's `NftFirewall`, with the ledger kept by the proxy (one file per target).
 */
export class SshFirewall extends NftFirewall {
  private readonly remote: SshCommandExecutor;

  constructor(options: SshFirewallOptions) {
    const remote = new SshCommandExecutor(options.pool, options.target);
    super({ ...options, executor: remote });
    this.remote = remote;
  }

  /** Sends the batch through a private temporary file on the target, as one nft transaction. */
  protected override async runBatch(commands: readonly NftCommand[]): Promise<void> {
    if (commands.length > 0) {
      await this.remote.runWithInputFile('nft', ['-j', '-f'], toNftDocument(commands));
    }
  }
}
