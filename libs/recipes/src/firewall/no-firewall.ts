import { LedgeredFirewall, type OpenRulesSnapshot } from './ledgered-firewall';
import type { PortRule } from './port-rule';

/**
 * The `none` backend: keeps the ledger (so undeploy and reconcile still know who opened what) but
 * changes no rule, and warns once that ports are recorded only.
 */
export class NoFirewall extends LedgeredFirewall {
  private hasWarned = false;

  protected override install(openRules: readonly PortRule[]): Promise<void> {
    this.warnOnce(openRules.length);
    return Promise.resolve();
  }

  protected override apply(toOpen: readonly PortRule[]): Promise<void> {
    this.warnOnce(toOpen.length);
    return Promise.resolve();
  }

  /** With no rules to read, the ledger is taken as the truth: nothing to reopen or close. */
  protected override readOpenRules(): Promise<OpenRulesSnapshot | undefined> {
    const rules = this.ledger.allRules();
    return Promise.resolve({ everywhere: rules, anywhere: rules });
  }

  private warnOnce(count: number): void {
    if (!this.hasWarned) {
      this.hasWarned = true;
      this.logger.warn(
        'Firewall backend "none": ports are recorded in the ledger but not opened or closed',
        {
          recordedPorts: count,
        },
      );
    }
  }
}
