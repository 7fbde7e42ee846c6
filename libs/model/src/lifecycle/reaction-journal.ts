import type { ExternalExport } from '../imports';
import type { TouchedExporter } from '../imports/import-delta';
import type { InstanceState } from './lifecycle.constants';

/**
 * What instances were like when the current reaction began, recorded at their first change: their
 * states, their exported values and the bound applications' exports. What the update steps compare against.
 */
export class ReactionJournal {
  private readonly states = new Map<string, InstanceState>();
  private readonly exports = new Map<string, Readonly<Record<string, string>>>();
  private externalAtStart: { readonly value: readonly ExternalExport[] | undefined } | undefined;

  /** Forgets everything: a new reaction begins. */
  begin(): void {
    this.states.clear();
    this.exports.clear();
    this.externalAtStart = undefined;
  }

  /** Records an instance's state before its first change in this reaction. */
  recordState(path: string, state: InstanceState): void {
    if (!this.states.has(path)) {
      this.states.set(path, state);
    }
  }

  /** Records an instance's exported values before their first change in this reaction. */
  recordExports(path: string, values: Readonly<Record<string, string>>): void {
    if (!this.exports.has(path)) {
      this.exports.set(path, values);
    }
  }

  /** Records the bound applications' exports before their first change in this reaction. */
  recordExternal(external: readonly ExternalExport[] | undefined): void {
    this.externalAtStart ??= { value: external };
  }

  /** The state an instance had when the reaction began, given the state it has now. */
  stateAtStart(path: string, now: InstanceState): InstanceState {
    return this.states.get(path) ?? now;
  }

  /** The bound applications' exports when the reaction began, if they changed since. */
  externalIfChanged(): readonly ExternalExport[] | undefined {
    return this.externalAtStart === undefined ? undefined : (this.externalAtStart.value ?? []);
  }

  /**
   * The exporters that may have changed: those that started or stopped, and those whose values
   * were replaced, with how they stood when the reaction began.
   */
  touchedExporters(
    stateOf: (path: string) => InstanceState,
    exportsOf: (path: string) => Readonly<Record<string, string>>,
  ): TouchedExporter[] {
    const touched: TouchedExporter[] = [];
    for (const path of new Set([...this.states.keys(), ...this.exports.keys()])) {
      const wasStarted = this.stateAtStart(path, stateOf(path)) === 'deployed_started';
      if (this.exports.has(path) || wasStarted !== (stateOf(path) === 'deployed_started')) {
        touched.push({
          path,
          before: { isStarted: wasStarted, values: this.exports.get(path) ?? exportsOf(path) },
        });
      }
    }
    return touched;
  }
}
