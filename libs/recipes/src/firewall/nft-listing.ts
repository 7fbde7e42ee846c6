import type { OpenRulesSnapshot } from './ledgered-firewall';
import { openSetName } from './nft-ruleset';
import { uniquePortRules, type PortProtocol, type PortRule } from './port-rule';

interface NftListedItem {
  readonly set?: { readonly name: string; readonly elem?: readonly unknown[] };
  readonly chain?: { readonly name: string };
  readonly rule?: { readonly chain: string; readonly expr?: readonly NftExpression[] };
}

interface NftExpression {
  readonly match?: {
    readonly left?: { readonly payload?: { readonly protocol?: string; readonly field?: string } };
    readonly right?: unknown;
  };
}

const PROTOCOLS: readonly PortProtocol[] = ['tcp', 'udp'];

/** The ports in our open sets. */
function setPorts(items: readonly NftListedItem[]): PortRule[] {
  return PROTOCOLS.flatMap((protocol) => {
    const set = items.find((item) => item.set?.name === openSetName(protocol))?.set;
    return (set?.elem ?? [])
      .filter((port): port is number => typeof port === 'number')
      .map((port) => ({ port, protocol }));
  });
}

/** Ports opened by a literal rule someone added to our chain (`tcp dport 9999 accept`). */
function literalRulePorts(items: readonly NftListedItem[]): PortRule[] {
  return items.flatMap((item) =>
    (item.rule?.chain === 'input' ? (item.rule.expr ?? []) : []).flatMap((expression) => {
      const payload = expression.match?.left?.payload;
      const right = expression.match?.right;
      const protocol = payload?.protocol as PortProtocol | undefined;
      const isPortMatch =
        payload?.field === 'dport' && protocol !== undefined && PROTOCOLS.includes(protocol);
      return isPortMatch && typeof right === 'number' ? [{ port: right, protocol }] : [];
    }),
  );
}

/**
 * Reads `nft -j list table inet flotilla` output: the ports of our open sets are open everywhere;
 * literal port rules someone added to our chain count as open too (reconcile removes them).
 * Undefined when the input chain is missing (the table must be rebuilt).
 */
export function parseNftListing(json: string): OpenRulesSnapshot | undefined {
  const items = (JSON.parse(json) as { nftables: NftListedItem[] }).nftables;
  if (!items.some((item) => item.chain?.name === 'input')) {
    return undefined;
  }
  const everywhere = setPorts(items);
  return { everywhere, anywhere: uniquePortRules([...everywhere, ...literalRulePorts(items)]) };
}
