import { DmError } from '../errors';

/** The configuration is invalid; `problems` lists every bad key with the reason. */
export class DmConfigError extends DmError {
  constructor(readonly problems: readonly string[]) {
    super('CONFIG_INVALID', `Invalid configuration:\n  ${problems.join('\n  ')}`);
  }
}
