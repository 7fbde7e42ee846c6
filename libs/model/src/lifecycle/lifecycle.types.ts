import type { ExternalExport, ImportChange } from '../imports';
import type { InstanceDefinition, ResolvedGraph } from '../model.types';
import type {
  InstanceState,
  LifecycleEvent,
  RequestableState,
  StepKind,
} from './lifecycle.constants';

/** A failed step, kept on the instance for everyone to see (Roboconf only logs it on the agent). */
export interface StepFailure {
  readonly step: StepKind;
  /** The script's exit code; null when it was killed or could not be run. */
  readonly exitCode: number | null;
  /** The end of the script's output, at most `FAILURE_LOG_TAIL_MAX_CHARS` characters. */
  readonly logTail: string;
  /** When the step failed, ISO 8601 (supplied by the caller: the lifecycle reads no clock). */
  readonly at: string;
  /** The transient state the instance was in, and the stable state it went back to. */
  readonly failedIn: InstanceState;
  readonly revertedTo: InstanceState;
}

/** The lifecycle of one instance: where it is, where the user wants it, and its last failure. */
export interface InstanceRuntimeState {
  readonly state: InstanceState;
  readonly desiredState: RequestableState;
  /** While a step runs: the stable state to go back to if it fails. */
  readonly previousStableState?: InstanceState;
  /** The last failure; a failed step is not retried automatically until a new request involves the instance. */
  readonly failure?: StepFailure;
  /** Import changes that happened while the start script ran: given to `update.sh` once started. */
  readonly pendingImportChanges?: readonly ImportChange[];
}

/** An application as the lifecycle sees it: the model, every instance's lifecycle, and the exports. */
export interface ApplicationSnapshot {
  readonly graph: ResolvedGraph;
  /** Every instance, parents before children. */
  readonly instances: readonly InstanceDefinition[];
  /** By instance path; an instance missing here is `not_deployed` and wanted `not_deployed`. */
  readonly runtime: Readonly<Record<string, InstanceRuntimeState>>;
  /** Exported values by instance path, then qualified name (see `computeInstanceExports`). */
  readonly exports: Readonly<Record<string, Readonly<Record<string, string>>>>;
  /** Exports of the started instances of the applications bound to this one. */
  readonly external?: readonly ExternalExport[];
}

/** A user's request: bring one instance, or a whole subtree, to one of the three requestable states. */
export interface LifecycleRequest {
  readonly instancePath: string;
  readonly targetState: RequestableState;
  /** `instance` (the default) acts on the instance, `subtree` on it and all its descendants. */
  readonly scope?: 'instance' | 'subtree';
}

/** A recipe step to run now on one instance. */
export interface LifecycleStep {
  readonly kind: StepKind;
  readonly instancePath: string;
  readonly component: string;
  /** The component's installer (`target` steps are the DM's business, `script` ones the agent's). */
  readonly installer: string;
  /** The event that issued the step (`stop`, `imports-lost`, `ancestor-stopped`, ...). */
  readonly cause: LifecycleEvent;
  /** For `update` steps: the one exporter that appeared, disappeared or changed. */
  readonly importChange?: ImportChange;
}

/** One state change the lifecycle made. */
export interface AppliedTransition {
  readonly instancePath: string;
  readonly from: InstanceState;
  readonly to: InstanceState;
  readonly event: LifecycleEvent;
}

/** Something that happened, given to `react`. */
export type LifecycleInput =
  | { readonly type: 'request'; readonly request: LifecycleRequest }
  | { readonly type: 'step-succeeded'; readonly instancePath: string; readonly step: StepKind }
  | {
      readonly type: 'step-failed';
      readonly instancePath: string;
      readonly step: StepKind;
      readonly exitCode: number | null;
      readonly logTail: string;
      readonly at: string;
    }
  | {
      readonly type: 'state-reported';
      readonly instancePath: string;
      readonly state: InstanceState;
    }
  | {
      readonly type: 'exports-changed';
      readonly instancePath: string;
      /** The instance's exported values now, by qualified name. */
      readonly values: Readonly<Record<string, string>>;
    }
  | {
      readonly type: 'external-exports-changed';
      /** The exports of the started instances of the bound applications now. */
      readonly external: readonly ExternalExport[];
    }
  | { readonly type: 'agent-lost'; readonly instancePath: string }
  | { readonly type: 'agent-alive'; readonly instancePath: string };

/** What `react` decided: the new snapshot, the state changes in order, and the steps to run now. */
export interface Reaction {
  readonly application: ApplicationSnapshot;
  readonly transitions: readonly AppliedTransition[];
  readonly steps: readonly LifecycleStep[];
}

/** Options of `react`. */
export interface ReactOptions {
  /**
   * Which instances the caller drives (an agent: those under its root). Others are left as they
   * are: their owner reports their states. Default: all.
   */
  readonly isOwned?: (instancePath: string) => boolean;
}
