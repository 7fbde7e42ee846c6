import { IPTABLES_CHAIN_NAME, IPTABLES_PORTS_CHAIN_NAME } from '../recipes.constants';
import { LedgeredFirewall } from './ledgered-firewall';
import type { PortProtocol, PortRule } from './port-rule';
import { withTemporaryFile } from './temporary-file';

const IPTABLES = 'iptables';

function portArgs(rule: PortRule): string[] {
  return ['-p', rule.protocol, '-m', rule.protocol, '--dport', String(rule.port), '-j', 'ACCEPT'];
}

/**
 * The iptables fallback (IPv4): its own chain FLOTILLA, jumped to first from INPUT, with the
 * managed-mode rules, and a chain FLOTILLA-PORTS with one ACCEPT rule per open port. Install and
 * reconcile are one iptables-restore transaction; single opens and closes are one rule each.
 */
export class IptablesFirewall extends LedgeredFirewall {
  /**
   * One `iptables-restore --noflush` transaction: declaring our two chains creates or flushes
   * them, their rules are added, and the jump from INPUT is inserted only when missing; every
   * other rule of the host stays as it is.
   */
  protected override async install(openRules: readonly PortRule[]): Promise<void> {
    const hasJump = (await this.iptables(['-C', 'INPUT', '-j', IPTABLES_CHAIN_NAME], true)) === 0;
    const lines = [
      '*filter',
      `:${IPTABLES_CHAIN_NAME} - [0:0]`,
      `:${IPTABLES_PORTS_CHAIN_NAME} - [0:0]`,
      ...this.baseRules().map((args) => ['-A', IPTABLES_CHAIN_NAME, ...args].join(' ')),
      ...openRules.map((rule) => ['-A', IPTABLES_PORTS_CHAIN_NAME, ...portArgs(rule)].join(' ')),
      ...(hasJump ? [] : [`-I INPUT 1 -j ${IPTABLES_CHAIN_NAME}`]),
      'COMMIT',
    ];
    await withTemporaryFile(`${lines.join('\n')}\n`, (file) =>
      this.executor.run('iptables-restore', ['--wait', '--noflush', file]),
    );
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
