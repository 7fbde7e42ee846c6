import type { RecipeLogger } from '../recipes.logger';
import type { CommandExecutor } from './command-executor';
import type { LedgerEntry, PortLedger } from './port-ledger';
import type { PortRule } from './port-rule';

/** What `Firewall.reconcile` found and fixed: rules the ledger wanted but were missing, and extras. */
export interface ReconcileReport {
  /** Ledger rules that were not in the firewall and have been (re)opened. */
  readonly reopened: readonly PortRule[];
  /** Rules found open in the firewall that no ledger owner holds, now closed. */
  readonly closed: readonly PortRule[];
  /** True when the agent's table or chain was missing and has been rebuilt. */
  readonly rebuilt: boolean;
}

/**
 * The agent's firewall: opens and closes inbound ports on behalf of instances (owners) and keeps
 * the ledger and the real rules in agreement.
 */
export interface Firewall {
  /** Opens `rule` for `owner` (idempotent); the ledger records it before the rule is applied. */
  open(rule: PortRule, owner: string): Promise<void>;
  /** Closes `rule` for `owner`; the port stays open while another owner still holds it. */
  close(rule: PortRule, owner: string): Promise<void>;
  /** Closes every port `owner` opened (at undeploy, whatever its scripts did); returns them. */
  closeAllFor(owner: string): Promise<PortRule[]>;
  /** Makes the real rules match the ledger (at start); reports what differed. */
  reconcile(): Promise<ReconcileReport>;
  /** The ledger: every owner and the ports it holds. */
  list(): Promise<LedgerEntry[]>;
}

/** Options shared by every firewall backend; defaults in recipes.constants.ts. */
export interface FirewallOptions {
  readonly ledger: PortLedger;
  /** Managed mode: drop new inbound connections except loopback, established, always-open and ledger ports. */
  readonly managed?: boolean;
  /** Ports always open in managed mode (SSH), whatever the ledger says. */
  readonly alwaysOpen?: readonly PortRule[];
  /** Runs nft/iptables; tests give one that enters their own network namespace. */
  readonly executor?: CommandExecutor;
  readonly logger?: RecipeLogger;
}
