import { randomUUID } from 'node:crypto';
import { mkdir, open, readFile, rename } from 'node:fs/promises';
import { dirname } from 'node:path';
import { RecipeError } from '../errors';
import { LEDGER_FORMAT_VERSION } from '../recipes.constants';
import { formatPortRule, parsePortRule, uniquePortRules, type PortRule } from './port-rule';

/** The ports one owner (an instance path) has opened. */
export interface LedgerEntry {
  readonly owner: string;
  readonly rules: readonly PortRule[];
}

interface LedgerFile {
  readonly version: number;
  readonly owners: Record<string, string[]>;
}

/**
 * The persistent record of which instance opened which port: a JSON file rewritten atomically
 * (temporary file, fsync, rename) on every change, so a crash leaves the old or the new ledger.
 */
export class PortLedger {
  private owners = new Map<string, PortRule[]>();

  constructor(readonly filePath: string) {}

  /**
   * Reads the ledger file; a missing file is an empty ledger.
   * @throws RecipeError LEDGER_CORRUPT when the file is not a valid ledger.
   */
  async load(): Promise<void> {
    const text = await readFile(this.filePath, 'utf8').catch((error: unknown) => {
      if (error instanceof Error && 'code' in error && error.code === 'ENOENT') {
        return undefined;
      }
      throw error;
    });
    this.owners = text === undefined ? new Map<string, PortRule[]>() : this.parse(text);
  }

  /** Every owner with the rules it holds, owners sorted by name. */
  entries(): LedgerEntry[] {
    return [...this.owners.entries()]
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([owner, rules]) => ({ owner, rules: [...rules] }));
  }

  /** The rules held by `owner` (empty when it holds none). */
  rulesOf(owner: string): PortRule[] {
    return [...(this.owners.get(owner) ?? [])];
  }

  /** Every rule held by any owner, without duplicates: what the firewall must have open. */
  allRules(): PortRule[] {
    return uniquePortRules([...this.owners.values()].flat());
  }

  /** True when some owner other than `owner` also holds `rule`. */
  isHeldByOther(rule: PortRule, owner: string): boolean {
    const key = formatPortRule(rule);
    return [...this.owners.entries()].some(
      ([other, rules]) => other !== owner && rules.some((held) => formatPortRule(held) === key),
    );
  }

  /** Records that `owner` holds `rule` (in memory; call `save`). */
  add(owner: string, rule: PortRule): void {
    this.owners.set(owner, uniquePortRules([...this.rulesOf(owner), rule]));
  }

  /** Forgets that `owner` holds `rule` (in memory; call `save`). */
  remove(owner: string, rule: PortRule): void {
    const rules = this.rulesOf(owner).filter(
      (held) => formatPortRule(held) !== formatPortRule(rule),
    );
    if (rules.length === 0) {
      this.owners.delete(owner);
    } else {
      this.owners.set(owner, rules);
    }
  }

  /** Writes the ledger atomically. */
  async save(): Promise<void> {
    const document: LedgerFile = {
      version: LEDGER_FORMAT_VERSION,
      owners: Object.fromEntries(
        this.entries().map((entry) => [entry.owner, entry.rules.map(formatPortRule)]),
      ),
    };
    await mkdir(dirname(this.filePath), { recursive: true, mode: 0o700 });
    const temporary = `${this.filePath}.${randomUUID()}.tmp`;
    const handle = await open(temporary, 'w', 0o600);
    try {
      await handle.writeFile(`${JSON.stringify(document, null, 2)}\n`);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temporary, this.filePath);
  }

  private parse(text: string): Map<string, PortRule[]> {
    try {
      const document = JSON.parse(text) as LedgerFile;
      if (document.version !== LEDGER_FORMAT_VERSION || typeof document.owners !== 'object') {
        throw new Error(`expected version ${LEDGER_FORMAT_VERSION} with an owners object`);
      }
      return new Map(
        Object.entries(document.owners).map(([owner, rules]) => [owner, rules.map(parsePortRule)]),
      );
    } catch (error: unknown) {
      throw new RecipeError(
        'LEDGER_CORRUPT',
        `Port ledger ${this.filePath} is not valid: ${error instanceof Error ? error.message : String(error)}`,
        { file: this.filePath },
        { cause: error },
      );
    }
  }
}
