import { Command } from 'commander';
import { addAgentAdminCommands } from './commands/agent-admin.command';
import { agentCommand } from './commands/agent.command';
import { agentInstallCommand } from './commands/agent-install.command';
import { auditCommand } from './commands/audit.command';
import { instanceCommand } from './commands/instance.command';
import { lifecycleCommands } from './commands/lifecycle.command';
import { logsCommand } from './commands/logs.command';
import { recipeCommand } from './commands/recipe.command';
import { appCommand } from './commands/app.command';
import { templateCommand } from './commands/template.command';
import { demoCommand } from './commands/demo.command';
import { dmCommand } from './commands/dm.command';
import { loginCommand, logoutCommand } from './commands/login.command';
import { validateCommand } from './commands/validate.command';
import { processContext, type CliContext } from './config/cli-context';

/** Builds the `flotilla` command tree; each subcommand lives in its own file under commands/. */
export function buildProgram(context: CliContext = processContext()): Command {
  const program = new Command('flotilla')
    .description('Flotilla: a Deployment Manager and agents that talk only through RabbitMQ')
    .showHelpAfterError()
    // Positional: `agent install --name` is the installed agent's name, not the `agent` flag.
    .enablePositionalOptions();
  // Subcommands register here, one line each: program.addCommand(validateCommand());
  program.addCommand(validateCommand());
  program.addCommand(
    addAgentAdminCommands(agentCommand(), context)
      .enablePositionalOptions()
      .addCommand(agentInstallCommand(context)),
  );
  program.addCommand(dmCommand());
  program.addCommand(loginCommand(context));
  program.addCommand(logoutCommand(context));
  program.addCommand(appCommand(context));
  program.addCommand(templateCommand(context));
  program.addCommand(instanceCommand(context));
  lifecycleCommands(context).forEach((command) => program.addCommand(command));
  program.addCommand(logsCommand(context));
  program.addCommand(auditCommand(context));
  program.addCommand(recipeCommand(context));
  program.addCommand(demoCommand(context));
  return program;
}
