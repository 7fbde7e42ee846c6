import { CommanderError, type Command } from 'commander';
import { CliError } from './cli-error';
import { processContext, type CliContext } from './config/cli-context';
import { buildProgram } from './program';

function routeOutput(command: Command, context: CliContext): void {
  command.exitOverride().configureOutput({
    writeOut: (text) => context.stdout.write(text),
    writeErr: (text) => context.stderr.write(text),
  });
  for (const subcommand of command.commands) {
    routeOutput(subcommand, context);
  }
}

/**
 * Runs `flotilla` with the arguments after the program name and returns the exit code: failures
 * are printed as one `flotilla: message` line on stderr, never as a stack trace.
 */
export async function runCli(
  args: readonly string[],
  context: CliContext = processContext(),
): Promise<number> {
  const program = buildProgram(context);
  routeOutput(program, context);
  try {
    await program.parseAsync([...args], { from: 'user' });
    return 0;
  } catch (error: unknown) {
    if (error instanceof CommanderError) {
      return error.exitCode;
    }
    if (error instanceof CliError) {
      context.stderr.write(`flotilla: ${error.message}\n`);
      return error.exitCode;
    }
    context.stderr.write(`flotilla: ${error instanceof Error ? error.message : String(error)}\n`);
    return 1;
  }
}
