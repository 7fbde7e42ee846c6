import { Command } from 'commander';
import { agentCommand } from './commands/agent.command';
import { dmCommand } from './commands/dm.command';
import { validateCommand } from './commands/validate.command';

/** Builds the `flotilla` command tree; each subcommand lives in its own file under commands/. */
export function buildProgram(): Command {
  const program = new Command('flotilla')
    .description('Flotilla: a Deployment Manager and agents that talk only through RabbitMQ')
    .showHelpAfterError();
  // Subcommands register here, one line each: program.addCommand(validateCommand());
  program.addCommand(validateCommand());
  program.addCommand(agentCommand());
  program.addCommand(dmCommand());
  return program;
}
