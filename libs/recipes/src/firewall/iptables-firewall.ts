import { IPTABLES_CHAIN_NAME, IPTABLES_PORTS_CHAIN_NAME } from '../recipes.constants';
import { LedgeredFirewall } from './ledgered-firewall';
import type { PortProtocol, PortRule } from './port-rule';

const IPTABLES = 'iptables';

function portArgs(rule: PortRule): string[] {
  return ['-p', rule.protocol, '-m', rule.protocol, '--dport', String(rule.port), '-j', 'ACCEPT'];
}

/**
 * The iptables fallback (IPv4): its own chain FLOTILLA, jumped to first from INPUT, with the
 * managed-mode rules, and a chain FLOTILLA-PORTS with one ACCEPT rule per open port. Changes are
 * separate iptables calls, so unlike nftables a reconcile is not atomic.
 */
export class IptablesFirewall extends LedgeredFirewall {
  protected override async install(openRules: readonly PortRule[]): Promise<void> {
    for (const chain of [IPTABLES_CHAIN_NAME, IPTABLES_PORTS_CHAIN_NAME]) {
      await this.iptables(['-N', chain], true);
      await this.iptables(['-F', chain]);
    }
    for (const args of this.baseRules()) {
      await this.iptables(['-A', IPTABLES_CHAIN_NAME, ...args]);
    }
    for (const rule of openRules) {
      await this.iptables(['-A', IPTABLES_PORTS_CHAIN_NAME, ...portArgs(rule)]);
    }
    const jump = ['INPUT', '-j', IPTABLES_CHAIN_NAME];
    if ((await this.iptables(['-C', ...jump], true)) !== 0) {
      await this.iptables(['-I', 'INPUT', '1', '-j', IPTABLES_CHAIN_NAME]);
    }
  }

  protected override async apply(
    toOpen: readonly PortRule[],
    toClose: readonly PortRule[],
  ): Promise<void> {
    for (const rule of toOpen) {
      await this.iptables(['-A', IPTABLES_PORTS_CHAIN_NAME, ...portArgs(rule)]);
    }
    for (const rule of toClose) {
      await this.iptables(['-D', IPTABLES_PORTS_CHAIN_NAME, ...portArgs(rule)]);
    }
  }

  protected override async readOpenRules(): Promise<PortRule[] | undefined> {
    const base = await this.executor.run(IPTABLES, ['-S', IPTABLES_CHAIN_NAME], {
      allowFailure: true,
    });
    const ports = await this.executor.run(IPTABLES, ['-S', IPTABLES_PORTS_CHAIN_NAME], {
      allowFailure: true,
    });
    if (base.exitCode !== 0 || ports.exitCode !== 0) {
      return undefined;
    }
    return ports.stdout.split('\n').flatMap((line) => {
      const match = /^-A \S+ -p (tcp|udp) -m \1 --dport (\d+) -j ACCEPT$/.exec(line.trim());
      return match ? [{ port: Number(match[2]), protocol: match[1] as PortProtocol }] : [];
    });
  }

  private baseRules(): string[][] {
    if (!this.isManaged) {
      return [['-j', IPTABLES_PORTS_CHAIN_NAME]];
    }
    return [
      ['-i', 'lo', '-j', 'ACCEPT'],
      ['-m', 'conntrack', '--ctstate', 'ESTABLISHED,RELATED', '-j', 'ACCEPT'],
      ...this.alwaysOpen.map(portArgs),
      ['-j', IPTABLES_PORTS_CHAIN_NAME],
      ['-j', 'DROP'],
    ];
  }

  private async iptables(args: readonly string[], allowFailure = false): Promise<number | null> {
    // -w: wait for the xtables lock instead of failing when another tool holds it.
    const result = await this.executor.run(IPTABLES, ['-w', ...args], { allowFailure });
    return result.exitCode;
  }
}
