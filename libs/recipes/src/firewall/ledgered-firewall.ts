import { NOOP_RECIPE_LOGGER, type RecipeLogger } from '../recipes.logger';
import { createCommandExecutor, type CommandExecutor } from './command-executor';
import type { Firewall, FirewallOptions, ReconcileReport } from './firewall';
import type { LedgerEntry, PortLedger } from './port-ledger';
import { isSamePortRule, subtractPortRules, uniquePortRules, type PortRule } from './port-rule';

/**
 * The ports a backend found open: on every address family it manages, and on at least one (they
 * differ only when a rule was changed behind the agent's back in one family).
 */
export interface OpenRulesSnapshot {
  readonly everywhere: readonly PortRule[];
  readonly anywhere: readonly PortRule[];
}

/**
 * The ledger logic every backend shares: operations are serialised, the ledger is loaded and
 * reconciled before the first change, and a backend only says how to install its rules, apply a
 * change and read back which ports are open.
 */
export abstract class LedgeredFirewall implements Firewall {
  protected readonly ledger: PortLedger;
  protected readonly isManaged: boolean;
  protected readonly alwaysOpen: readonly PortRule[];
  protected readonly executor: CommandExecutor;
  protected readonly logger: RecipeLogger;
  private queue: Promise<unknown> = Promise.resolve();
  private isReconciled = false;

  constructor(options: FirewallOptions) {
    this.ledger = options.ledger;
    this.isManaged = options.managed ?? false;
    this.alwaysOpen = uniquePortRules(options.alwaysOpen ?? []);
    this.executor = options.executor ?? createCommandExecutor();
    this.logger = options.logger ?? NOOP_RECIPE_LOGGER;
  }

  /** Replaces everything the backend owns with a fresh set-up holding exactly `openRules`. */
  protected abstract install(openRules: readonly PortRule[]): Promise<void>;
  /** Opens and closes ports on an installed set-up, as one change where the backend allows it. */
  protected abstract apply(
    toOpen: readonly PortRule[],
    toClose: readonly PortRule[],
  ): Promise<void>;
  /** The ports actually open, or undefined when the backend's set-up is missing or incomplete. */
  protected abstract readOpenRules(): Promise<OpenRulesSnapshot | undefined>;

  open(rule: PortRule, owner: string): Promise<void> {
    return this.serialise(async () => {
      const isAlreadyOpen = this.ledger.allRules().some((held) => isSamePortRule(held, rule));
      this.ledger.add(owner, rule);
      await this.ledger.save();
      if (!isAlreadyOpen) {
        await this.apply([rule], []);
      }
    });
  }

  close(rule: PortRule, owner: string): Promise<void> {
    return this.serialise(async () => {
      const wasHeld = this.ledger.rulesOf(owner).some((held) => isSamePortRule(held, rule));
      this.ledger.remove(owner, rule);
      await this.ledger.save();
      if (wasHeld && !this.ledger.isHeldByOther(rule, owner)) {
        await this.apply([], [rule]);
      }
    });
  }

  closeAllFor(owner: string): Promise<PortRule[]> {
    return this.serialise(async () => {
      const rules = this.ledger.rulesOf(owner);
      rules.forEach((rule) => this.ledger.remove(owner, rule));
      await this.ledger.save();
      const toClose = rules.filter((rule) => !this.ledger.isHeldByOther(rule, owner));
      if (toClose.length > 0) {
        await this.apply([], toClose);
      }
      return rules;
    });
  }

  reconcile(): Promise<ReconcileReport> {
    return this.serialise(() => this.reconcileNow(), false);
  }

  list(): Promise<LedgerEntry[]> {
    return this.serialise(() => Promise.resolve(this.ledger.entries()));
  }

  private async reconcileNow(): Promise<ReconcileReport> {
    await this.ledger.load();
    const wanted = this.ledger.allRules();
    const actual = await this.readOpenRules();
    await this.install(wanted);
    this.isReconciled = true;
    const report = {
      reopened: subtractPortRules(wanted, actual?.everywhere ?? []),
      closed: subtractPortRules(actual?.anywhere ?? [], wanted),
      rebuilt: actual === undefined,
    };
    this.logger.info('Firewall reconciled with the port ledger', { ...report });
    return report;
  }

  /** Runs operations one at a time, reconciling first if nothing has been reconciled yet. */
  private serialise<T>(operation: () => Promise<T>, isReconcileFirst = true): Promise<T> {
    const run = async (): Promise<T> => {
      if (isReconcileFirst && !this.isReconciled) {
        await this.reconcileNow();
      }
      return operation();
    };
    const result = this.queue.then(run, run);
    this.queue = result.catch(() => undefined);
    return result;
  }
}
