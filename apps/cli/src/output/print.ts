import type { CliContext } from '../config/cli-context';

/** Prints the value as JSON for scripts, or the human-readable text otherwise. */
export function printResult(
  context: CliContext,
  isJson: boolean | undefined,
  value: unknown,
  human: () => string,
): void {
  context.stdout.write(isJson === true ? `${JSON.stringify(value, null, 2)}\n` : human());
}
