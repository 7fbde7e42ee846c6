import type { ApplicationState } from './application-state';

/** An application state and the revision its rows had when it was loaded or saved. */
interface KeptState {
  readonly revision: string;
  readonly state: ApplicationState;
}

/**
 * The application states the reconciler last loaded or saved, each under the application's
 * revision at that moment (decision 0180). Any write to what a state is made of (instance rows,
 * runtimes, the addresses of its roots' agents) gives the application a new revision from a
 * sequence, in the writer's transaction: a kept state is returned only while the locked row still
 * carries its revision, so a write by the API, another replica or a rolled-back transaction is
 * never hidden. Keeping the same state object keeps the lifecycle engine that produced its
 * snapshot, which is what spares the reconciler a full look at every instance per transaction.
 */
export class KeptApplicationStates {
  private readonly states = new Map<string, KeptState>();

  /** The kept state of the application whose row reads `head`, when it is still current. */
  at(head: {
    readonly id: string;
    readonly template_id: string;
    readonly revision: string;
  }): ApplicationState | undefined {
    const kept = this.states.get(head.id);
    if (kept === undefined || kept.revision !== head.revision) {
      return undefined;
    }
    return kept.state.templateId === head.template_id ? kept.state : undefined;
  }

  /** Keeps `state` as what the application's rows hold at `revision`. */
  keep(revision: string, state: ApplicationState): void {
    this.states.set(state.id, { revision, state });
  }

  /** Drops what is kept of an application (deleted). */
  forget(id: string): void {
    this.states.delete(id);
  }
}
