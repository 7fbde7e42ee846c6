import { RecipeError } from '../errors';
import { MAX_PORT, MIN_PORT } from '../recipes.constants';

/** Transport protocols a port can be opened for. */
export type PortProtocol = 'tcp' | 'udp';

/** One inbound port the firewall can open: a number and a protocol. */
export interface PortRule {
  readonly port: number;
  readonly protocol: PortProtocol;
}

/** `8080/tcp`: the text form of a port rule, used by the helper, the ledger and messages. */
export function formatPortRule(rule: PortRule): string {
  return `${rule.port}/${rule.protocol}`;
}

/**
 * Parses `<port>/<tcp|udp>` strictly: a decimal port 1-65535 without sign or leading zero.
 * @throws RecipeError PORT_SPEC_INVALID naming what is wrong.
 */
export function parsePortRule(text: string): PortRule {
  const match = /^([1-9][0-9]{0,4})\/(tcp|udp)$/.exec(text);
  const port = match ? Number(match[1]) : NaN;
  if (!match || port < MIN_PORT || port > MAX_PORT) {
    throw new RecipeError(
      'PORT_SPEC_INVALID',
      `Invalid port "${text}": expected <port>/<protocol> with port ${MIN_PORT}-${MAX_PORT} and protocol tcp or udp (e.g. 8080/tcp)`,
      { field: 'port' },
    );
  }
  return { port, protocol: match[2] as PortProtocol };
}

/** True when two rules name the same port and protocol. */
export function isSamePortRule(a: PortRule, b: PortRule): boolean {
  return a.port === b.port && a.protocol === b.protocol;
}

/** The rules in `rules` that are not in `other`. */
export function subtractPortRules(
  rules: readonly PortRule[],
  other: readonly PortRule[],
): PortRule[] {
  return rules.filter((rule) => !other.some((candidate) => isSamePortRule(rule, candidate)));
}

/** The rules without duplicates, sorted by protocol then port. */
export function uniquePortRules(rules: readonly PortRule[]): PortRule[] {
  const unique = new Map(rules.map((rule) => [formatPortRule(rule), rule]));
  return [...unique.values()].sort((a, b) =>
    a.protocol === b.protocol ? a.port - b.port : a.protocol < b.protocol ? -1 : 1,
  );
}
