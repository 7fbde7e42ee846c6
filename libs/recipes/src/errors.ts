/** Stable codes of the errors libs/recipes throws, one per failure a caller may want to tell apart. */
export type RecipeErrorCode =
  | 'BUNDLE_INVALID_PATH'
  | 'BUNDLE_DIGEST_MISMATCH'
  | 'BUNDLE_MALFORMED'
  | 'BUNDLE_SOURCE_MISSING'
  | 'STEP_SPAWN_FAILED'
  | 'USER_UNKNOWN'
  | 'PORT_SPEC_INVALID'
  | 'FIREWALL_COMMAND_FAILED'
  | 'LEDGER_CORRUPT';

/** Context fields a recipe error may carry to say what was wrong and where. */
export interface RecipeErrorContext {
  readonly file?: string;
  readonly field?: string;
  readonly instancePath?: string;
  readonly command?: string;
}

/** The base error of libs/recipes: a stable `code`, readonly context and the original `cause`. */
export class RecipeError extends Error {
  override readonly name = 'RecipeError';

  constructor(
    readonly code: RecipeErrorCode,
    message: string,
    readonly context: RecipeErrorContext = {},
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
