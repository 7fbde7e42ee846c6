import { IPTABLES_CHAIN_NAME, IPTABLES_PORTS_CHAIN_NAME } from '../recipes.constants';
import { LedgeredFirewall, type OpenRulesSnapshot } from './ledgered-firewall';
import { isSamePortRule, uniquePortRules, type PortProtocol, type PortRule } from './port-rule';
import { withTemporaryFile } from './temporary-file';

/** One address family's tools: iptables for IPv4, ip6tables for IPv6. */
interface XtablesFamily {
  readonly tool: 'iptables' | 'ip6tables';
  readonly restore: 'iptables-restore' | 'ip6tables-restore';
}

const IPV4: XtablesFamily = { tool: 'iptables', restore: 'iptables-restore' };
const IPV6: XtablesFamily = { tool: 'ip6tables', restore: 'ip6tables-restore' };

/** ICMPv6 types IPv6 cannot work without (neighbour discovery), accepted in managed mode. */
const ICMPV6_ESSENTIAL_TYPES = [
  'neighbour-solicitation',
  'neighbour-advertisement',
  'router-advertisement',
];

function portArgs(rule: PortRule): string[] {
  return ['-p', rule.protocol, '-m', rule.protocol, '--dport', String(rule.port), '-j', 'ACCEPT'];
}

/**
 * The iptables fallback, for IPv4 (iptables) and IPv6 (ip6tables) alike: its own chain FLOTILLA,
 * jumped to first from INPUT, with the managed-mode rules, and a chain FLOTILLA-PORTS with one
 * ACCEPT rule per open port. Install and reconcile are one restore transaction per family;
 * single opens and closes are one rule each.
 */
export class IptablesFirewall extends LedgeredFirewall {
  private readonly families: readonly XtablesFamily[] = [IPV4, IPV6];

  /**
   * One `iptables-restore --noflush` transaction: declaring our two chains creates or flushes
   * them, their rules are added, and the jump from INPUT is inserted only when missing; every
   * other rule of the host stays as it is.
   */
  protected override async install(openRules: readonly PortRule[]): Promise<void> {
    for (const family of this.families) {
      await this.installFamily(family, openRules);
    }
  }

  private async installFamily(
    family: XtablesFamily,
    openRules: readonly PortRule[],
  ): Promise<void> {
    const jump = ['-C', 'INPUT', '-j', IPTABLES_CHAIN_NAME];
    const hasJump = (await this.xtables(family, jump, true)) === 0;
    const lines = [
      '*filter',
      `:${IPTABLES_CHAIN_NAME} - [0:0]`,
      `:${IPTABLES_PORTS_CHAIN_NAME} - [0:0]`,
      ...this.baseRules(family).map((args) => ['-A', IPTABLES_CHAIN_NAME, ...args].join(' ')),
      ...openRules.map((rule) => ['-A', IPTABLES_PORTS_CHAIN_NAME, ...portArgs(rule)].join(' ')),
      ...(hasJump ? [] : [`-I INPUT 1 -j ${IPTABLES_CHAIN_NAME}`]),
      'COMMIT',
    ];
    await withTemporaryFile(`${lines.join('\n')}\n`, (file) =>
      this.executor.run(family.restore, ['--wait', '--noflush', file]),
    );
  }

  protected override async apply(
    toOpen: readonly PortRule[],
    toClose: readonly PortRule[],
  ): Promise<void> {
    for (const family of this.families) {
      for (const rule of toOpen) {
        await this.xtables(family, ['-A', IPTABLES_PORTS_CHAIN_NAME, ...portArgs(rule)]);
      }
      for (const rule of toClose) {
        await this.xtables(family, ['-D', IPTABLES_PORTS_CHAIN_NAME, ...portArgs(rule)]);
      }
    }
  }

  /** Both families' open ports; undefined when either family's chains are missing. */
  protected override async readOpenRules(): Promise<OpenRulesSnapshot | undefined> {
    const perFamily = await Promise.all(this.families.map((family) => this.readFamily(family)));
    const [first, ...others] = perFamily;
    if (first === undefined || others.some((rules) => rules === undefined)) {
      return undefined;
    }
    const rest = others as PortRule[][];
    return {
      everywhere: first.filter((rule) =>
        rest.every((rules) => rules.some((r) => isSamePortRule(r, rule))),
      ),
      anywhere: uniquePortRules([first, ...rest].flat()),
    };
  }

  private async readFamily(family: XtablesFamily): Promise<PortRule[] | undefined> {
    const list = (chain: string) =>
      this.executor.run(family.tool, ['-w', '-S', chain], { allowFailure: true });
    const base = await list(IPTABLES_CHAIN_NAME);
    const ports = await list(IPTABLES_PORTS_CHAIN_NAME);
    if (base.exitCode !== 0 || ports.exitCode !== 0) {
      return undefined;
    }
    return ports.stdout.split('\n').flatMap((line) => {
      const match = /^-A \S+ -p (tcp|udp) -m \1 --dport (\d+) -j ACCEPT$/.exec(line.trim());
      return match ? [{ port: Number(match[2]), protocol: match[1] as PortProtocol }] : [];
    });
  }

  private baseRules(family: XtablesFamily): string[][] {
    if (!this.isManaged) {
      return [['-j', IPTABLES_PORTS_CHAIN_NAME]];
    }
    const icmpv6 = ICMPV6_ESSENTIAL_TYPES.map((type) => [
      '-p',
      'ipv6-icmp',
      '-m',
      'icmp6',
      '--icmpv6-type',
      type,
      '-j',
      'ACCEPT',
    ]);
    return [
      ['-i', 'lo', '-j', 'ACCEPT'],
      ['-m', 'conntrack', '--ctstate', 'ESTABLISHED,RELATED', '-j', 'ACCEPT'],
      ...(family === IPV6 ? icmpv6 : []),
      ...this.alwaysOpen.map(portArgs),
      ['-j', IPTABLES_PORTS_CHAIN_NAME],
      ['-j', 'DROP'],
    ];
  }

  private async xtables(
    family: XtablesFamily,
    args: readonly string[],
    allowFailure = false,
  ): Promise<number | null> {
    // -w: wait for the xtables lock instead of failing when another tool holds it.
    const result = await this.executor.run(family.tool, ['-w', ...args], { allowFailure });
    return result.exitCode;
  }
}
