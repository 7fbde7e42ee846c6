import { NFT_INPUT_PRIORITY, NFT_TABLE_NAME } from '../recipes.constants';
import type { PortProtocol, PortRule } from './port-rule';

/** One command of an nftables JSON batch (`{ add: {...} }`, `{ delete: {...} }`). */
export type NftCommand = Record<string, unknown>;

const TABLE = { family: 'inet', name: NFT_TABLE_NAME };
const IN_TABLE = { family: 'inet', table: NFT_TABLE_NAME };
const PROTOCOLS: readonly PortProtocol[] = ['tcp', 'udp'];
const ICMPV6_ESSENTIAL_TYPES = ['nd-neighbor-solicit', 'nd-neighbor-advert', 'nd-router-advert'];

/** Name of the set holding the ledger's open ports of a protocol. */
export function openSetName(protocol: PortProtocol): string {
  return `open_${protocol}`;
}

function alwaysSetName(protocol: PortProtocol): string {
  return `always_${protocol}`;
}

function elements(
  setName: string,
  rules: readonly PortRule[],
  protocol: PortProtocol,
): NftCommand[] {
  const ports = rules.filter((rule) => rule.protocol === protocol).map((rule) => rule.port);
  return ports.length === 0 ? [] : [{ element: { ...IN_TABLE, name: setName, elem: ports } }];
}

/** The set commands to add or delete some ports, one per protocol that has any. */
export function portElements(rules: readonly PortRule[]): NftCommand[] {
  return PROTOCOLS.flatMap((protocol) => elements(openSetName(protocol), rules, protocol));
}

function acceptRule(match: Record<string, unknown>): NftCommand {
  return { add: { rule: { ...IN_TABLE, chain: 'input', expr: [{ match }, { accept: null }] } } };
}

function portAcceptRule(protocol: PortProtocol, setName: string): NftCommand {
  return acceptRule({
    op: '==',
    left: { payload: { protocol, field: 'dport' } },
    right: `@${setName}`,
  });
}

/** The rules that make managed mode drop only what it should. */
function managedRules(): NftCommand[] {
  return [
    acceptRule({ op: '==', left: { meta: { key: 'iifname' } }, right: 'lo' }),
    acceptRule({ op: 'in', left: { ct: { key: 'state' } }, right: ['established', 'related'] }),
    // Without neighbour discovery IPv6 stops working altogether: never drop it.
    acceptRule({
      op: '==',
      left: { payload: { protocol: 'icmpv6', field: 'type' } },
      right: { set: ICMPV6_ESSENTIAL_TYPES },
    }),
    ...PROTOCOLS.map((protocol) => portAcceptRule(protocol, alwaysSetName(protocol))),
  ];
}

function inputChain(isManaged: boolean): NftCommand {
  return {
    add: {
      chain: {
        ...IN_TABLE,
        name: 'input',
        type: 'filter',
        hook: 'input',
        prio: NFT_INPUT_PRIORITY,
        policy: isManaged ? 'drop' : 'accept',
      },
    },
  };
}

/**
 * The whole table as one batch: add then delete the table (so the batch works whether or not it
 * exists), recreate it with its sets and input chain, and fill the sets. nft applies a batch
 * atomically: no packet ever sees a half-built table.
 */
export function buildNftInstallBatch(
  openRules: readonly PortRule[],
  alwaysOpen: readonly PortRule[],
  isManaged: boolean,
): NftCommand[] {
  const sets = PROTOCOLS.flatMap((protocol) => [openSetName(protocol), alwaysSetName(protocol)]);
  return [
    { add: { table: TABLE } },
    { delete: { table: TABLE } },
    { add: { table: TABLE } },
    ...sets.map((name) => ({ add: { set: { ...IN_TABLE, name, type: 'inet_service' } } })),
    inputChain(isManaged),
    ...(isManaged ? managedRules() : []),
    ...PROTOCOLS.map((protocol) => portAcceptRule(protocol, openSetName(protocol))),
    ...portElements(openRules).map((element) => ({ add: element })),
    ...PROTOCOLS.flatMap((protocol) =>
      elements(alwaysSetName(protocol), alwaysOpen, protocol).map((element) => ({ add: element })),
    ),
  ];
}

/** Wraps commands as the JSON document `nft -j -f <file>` reads. */
export function toNftDocument(commands: readonly NftCommand[]): string {
  return JSON.stringify({ nftables: [{ metainfo: { json_schema_version: 1 } }, ...commands] });
}
