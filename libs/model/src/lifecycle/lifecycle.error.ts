import { ModelError } from '../errors';
import type { InstanceState } from './lifecycle.constants';

/** The stable codes of `LifecycleError`. */
export type LifecycleErrorCode =
  | 'ILLEGAL_TRANSITION'
  | 'UNKNOWN_INSTANCE'
  | 'ILLEGAL_REQUEST'
  | 'PLAN_DID_NOT_SETTLE'
  | 'ENGINE_BROKEN';

/** Context a lifecycle error carries, all optional. */
export interface LifecycleErrorContext {
  readonly instancePath?: string;
  readonly state?: InstanceState;
  /** The event or requested state that was refused. */
  readonly request?: string;
  readonly cause?: unknown;
}

/** An error of the instance lifecycle: an illegal transition or request, or an unknown instance. */
export class LifecycleError extends ModelError {
  override readonly name: string = 'LifecycleError';
  readonly instancePath?: string;
  readonly state?: InstanceState;
  readonly request?: string;

  constructor(
    override readonly code: LifecycleErrorCode,
    message: string,
    context: LifecycleErrorContext = {},
  ) {
    super(code, message, { cause: context.cause });
    this.instancePath = context.instancePath;
    this.state = context.state;
    this.request = context.request;
  }
}
