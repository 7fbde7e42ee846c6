import { ModelError } from '../errors';

/** The stable codes of `ImportsError`. */
export type ImportsErrorCode = 'UNKNOWN_COMPONENT' | 'UNKNOWN_INSTANCE' | 'NO_FREE_PORT';

/** An error of export or import resolution, naming the instance and the component or variable at fault. */
export class ImportsError extends ModelError {
  override readonly name: string = 'ImportsError';

  constructor(
    override readonly code: ImportsErrorCode,
    message: string,
    readonly instancePath?: string,
  ) {
    super(code, message);
  }
}
