import { Command } from 'commander';
import { connectToDm } from '../api/connect';
import type { DmClient } from '../api/dm-client';
import { DmResponseError } from '../api/dm-response.error';
import { templateUploadOf } from '../api/template-archive';
import { CliError } from '../cli-error';
import type { CliContext } from '../config/cli-context';
import { printResult } from '../output/print';
import { renderTable } from '../output/table';
import type { ApplicationView, DiagnosticView, TemplateView } from './dm-views';

interface JsonOption {
  readonly json?: boolean;
}

/**
 * Uploads the template (a 422 prints every diagnostic as `file:line:column: message` and fails),
 * then creates the application from the exact name and version stored.
 */
async function createApp(
  context: CliContext,
  name: string,
  options: JsonOption & { template: string },
): Promise<void> {
  const dm = await connectToDm(context);
  const template = await uploadTemplate(context, dm, options.template);
  const application = await dm.request<ApplicationView>('POST', '/api/applications', {
    json: {
      name,
      template: template.name,
      ...(template.version === '' ? {} : { templateVersion: template.version }),
    },
  });
  printResult(
    context,
    options.json,
    { template, application },
    () =>
      `Created application ${application.name} from template ${template.name}` +
      `${template.version === '' ? '' : ` ${template.version}`} (${application.instanceCount} instances)\n`,
  );
}

async function uploadTemplate(
  context: CliContext,
  dm: DmClient,
  path: string,
): Promise<TemplateView> {
  const upload = await templateUploadOf(path).catch((error: unknown) => {
    throw new CliError(
      'USAGE',
      `Cannot read the template ${path}: ${error instanceof Error ? error.message : String(error)}`,
    );
  });
  try {
    const template = await dm.request<TemplateView>('POST', '/api/templates', {
      body: upload.bytes,
      contentType: upload.contentType,
    });
    for (const warning of template.warnings ?? []) {
      context.stderr.write(`${warning.text}\n`);
    }
    return template;
  } catch (error: unknown) {
    if (error instanceof DmResponseError && error.status === 422) {
      const diagnostics = (error.body.details?.diagnostics ?? []) as DiagnosticView[];
      for (const diagnostic of diagnostics) {
        context.stdout.write(`${diagnostic.text}\n`);
      }
      throw new CliError(
        'TEMPLATE_REFUSED',
        `The DM refused the template ${path}: ${String(error.body.message)}`,
      );
    }
    throw error;
  }
}

async function listApps(context: CliContext, options: JsonOption): Promise<void> {
  const applications = await (
    await connectToDm(context)
  ).request<ApplicationView[]>('GET', '/api/applications');
  printResult(context, options.json, applications, () =>
    applications.length === 0
      ? 'No applications\n'
      : renderTable(
          ['NAME', 'TEMPLATE', 'VERSION', 'INSTANCES', 'CREATED'],
          applications.map((app) => [
            app.name,
            app.template,
            app.templateVersion,
            String(app.instanceCount),
            app.createdAt,
          ]),
        ),
  );
}

async function removeApp(context: CliContext, name: string): Promise<void> {
  await (
    await connectToDm(context)
  ).request('DELETE', `/api/applications/${encodeURIComponent(name)}`);
  context.stdout.write(`Removed application ${name}\n`);
}

/** The `app` subcommand: create, ls, rm. */
export function appCommand(context: CliContext): Command {
  const command = new Command('app').description('Applications created from templates');
  command
    .command('create')
    .description('Upload a template (directory or archive) and create an application from it')
    .argument('<name>', 'application name')
    .requiredOption('--template <dir|archive>', 'template directory (packed as tar.gz) or archive')
    .option('--json', 'print the template and application as JSON')
    .action((name: string, options: JsonOption & { template: string }) =>
      createApp(context, name, options),
    );
  command
    .command('ls')
    .description('List the applications')
    .option('--json', 'print JSON')
    .action((options: JsonOption) => listApps(context, options));
  command
    .command('rm')
    .description('Delete an application and its instances (refused while any is deployed)')
    .argument('<name>', 'application name')
    .action((name: string) => removeApp(context, name));
  return command;
}
