import type { AgentlessTargetPayload } from '@flotilla/protocol';
import { formatPortRule, isSamePortRule, type Firewall } from '@flotilla/recipes';

/** What a sync changed, as `<owner> <port>/<protocol>` lines. */
export interface HeldPortsChange {
  readonly opened: string[];
  readonly closed: string[];
}

/**
 * Makes a proxy's ledger of a target (and the target's firewall) match the ports the DM recorded
 * for its instances, before a step: a proxy that took over from another one learns the ports the
 * other opened, and a proxy coming back forgets (and closes) what others closed meanwhile. Owners
 * with a step running on this proxy are left alone: their step is changing them.
 */
export async function syncHeldPorts(
  firewall: Firewall,
  held: NonNullable<AgentlessTargetPayload['heldPorts']>,
  isBusy: (owner: string) => boolean,
): Promise<HeldPortsChange> {
  const change: HeldPortsChange = { opened: [], closed: [] };
  const entries = await firewall.list();
  for (const { owner, rules } of held.filter((entry) => !isBusy(entry.owner))) {
    const current = entries.find((entry) => entry.owner === owner)?.rules ?? [];
    for (const rule of rules.filter((wanted) => !current.some((r) => isSamePortRule(r, wanted)))) {
      await firewall.open(rule, owner);
      change.opened.push(`${owner} ${formatPortRule(rule)}`);
    }
    for (const rule of current.filter((known) => !rules.some((r) => isSamePortRule(r, known)))) {
      await firewall.close(rule, owner);
      change.closed.push(`${owner} ${formatPortRule(rule)}`);
    }
  }
  return change;
}
