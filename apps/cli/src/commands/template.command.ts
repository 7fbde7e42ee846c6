import { Command } from 'commander';
import { connectToDm } from '../api/connect';
import type { CliContext } from '../config/cli-context';
import { printResult } from '../output/print';
import { renderTable } from '../output/table';
import type { TemplateView } from './dm-views';

async function listTemplates(context: CliContext, options: { json?: boolean }): Promise<void> {
  const templates = await (
    await connectToDm(context)
  ).request<TemplateView[]>('GET', '/api/templates');
  printResult(context, options.json, templates, () =>
    templates.length === 0
      ? 'No templates\n'
      : renderTable(
          ['NAME', 'VERSION', 'COMPONENTS', 'INSTANCES', 'UPLOADED'],
          templates.map((template) => [
            template.name,
            template.version,
            template.components.join(','),
            String(template.instanceCount),
            template.createdAt,
          ]),
        ),
  );
}

/** The `template` subcommand: ls (templates are uploaded by `app create`). */
export function templateCommand(context: CliContext): Command {
  const command = new Command('template').description('Templates stored on the DM');
  command
    .command('ls')
    .description('List the stored templates')
    .option('--json', 'print JSON')
    .action((options: { json?: boolean }) => listTemplates(context, options));
  return command;
}
