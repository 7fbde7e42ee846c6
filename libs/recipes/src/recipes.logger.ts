/** The small logger interface libs/recipes accepts through options (pino and Nest loggers fit it). */
export interface RecipeLogger {
  debug(message: string, context?: Record<string, unknown>): void;
  info(message: string, context?: Record<string, unknown>): void;
  warn(message: string, context?: Record<string, unknown>): void;
  error(message: string, context?: Record<string, unknown>): void;
}

/** A logger that drops everything: the default when a caller gives none. */
export const NOOP_RECIPE_LOGGER: RecipeLogger = {
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
};
