import type {
  Firewall,
  LedgerEntry,
  PortLedger,
  PortRule,
  ReconcileReport,
} from '@flotilla/recipes';

/**
 * An agentless target's firewall whose `list` reads the proxy's ledger file without reaching the
 * target: reporting the ports a step left open must work when the target just became
 * unreachable (a set-up failure is reported, not thrown). Every change goes to the target.
 */
export class LedgerListingFirewall implements Firewall {
  constructor(
    private readonly target: Firewall,
    /** A reader of the same ledger file the target's firewall writes. */
    private readonly ledger: PortLedger,
  ) {}

  open(rule: PortRule, owner: string): Promise<void> {
    return this.target.open(rule, owner);
  }

  close(rule: PortRule, owner: string): Promise<void> {
    return this.target.close(rule, owner);
  }

  closeAllFor(owner: string): Promise<PortRule[]> {
    return this.target.closeAllFor(owner);
  }

  reconcile(): Promise<ReconcileReport> {
    return this.target.reconcile();
  }

  async list(): Promise<LedgerEntry[]> {
    await this.ledger.load();
    return this.ledger.entries();
  }
}
