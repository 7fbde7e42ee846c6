import { Command } from 'commander';
import { connectToDm } from '../api/connect';
import type { CliContext } from '../config/cli-context';
import { Painter } from '../output/colours';
import { printResult } from '../output/print';
import type { InstanceView } from './dm-views';
import { renderInstanceTree } from './instance-tree';

/** The API path of an application's instances. */
export function instancesPathOf(app: string): string {
  return `/api/applications/${encodeURIComponent(app)}/instances`;
}

async function listInstances(context: CliContext, app: string, options: { json?: boolean }) {
  const instances = await (
    await connectToDm(context)
  ).request<InstanceView[]>('GET', instancesPathOf(app));
  printResult(context, options.json, instances, () =>
    instances.length === 0
      ? `Application ${app} has no instances\n`
      : renderInstanceTree(instances, new Painter(context.stdout, context.env)),
  );
}

interface AddOptions {
  readonly agent?: string;
  readonly json?: boolean;
}

async function addInstance(
  context: CliContext,
  [app, parentPath, component, name]: readonly string[],
  options: AddOptions,
): Promise<void> {
  const isRoot = parentPath === '/' || parentPath === '';
  const added = await (
    await connectToDm(context)
  ).request<InstanceView>('POST', instancesPathOf(app ?? ''), {
    json: {
      ...(isRoot ? {} : { parentPath }),
      component,
      name,
      ...(options.agent === undefined ? {} : { agent: options.agent }),
    },
  });
  printResult(context, options.json, added, () => `Added ${added.path} (${added.component})\n`);
}

async function removeInstance(context: CliContext, app: string, path: string): Promise<void> {
  await (await connectToDm(context)).request('DELETE', instancesPathOf(app), { query: { path } });
  context.stdout.write(`Removed ${path} and its descendants from ${app}\n`);
}

async function bindAgent(context: CliContext, app: string, path: string, agent: string) {
  await (
    await connectToDm(context)
  ).request('POST', `${instancesPathOf(app)}/bind-agent`, {
    json: { path, agent },
  });
  context.stdout.write(`${app} ${path} now runs on agent ${agent}\n`);
}

/** The `instance` subcommand: ls (a tree), add, rm, bind. */
export function instanceCommand(context: CliContext): Command {
  const command = new Command('instance').description('Instances of an application');
  command
    .command('ls')
    .description('Show the instance tree with states, agents and exported ports')
    .argument('<app>', 'application name')
    .option('--json', 'print JSON')
    .action((app: string, options: { json?: boolean }) => listInstances(context, app, options));
  command
    .command('add')
    .description('Add an instance under PARENT-PATH ("/" for a new root instance)')
    .argument('<app>', 'application name')
    .argument('<parent-path>', 'parent instance path, e.g. /vm1, or / for a root')
    .argument('<component>', 'component of the new instance')
    .argument('<name>', 'name of the new instance')
    .option('--agent <name>', 'agent of a new root instance')
    .option('--json', 'print the instance as JSON')
    .action((app: string, parent: string, component: string, name: string, options: AddOptions) =>
      addInstance(context, [app, parent, component, name], options),
    );
  command
    .command('rm')
    .description('Remove an undeployed instance and its descendants')
    .argument('<app>', 'application name')
    .argument('<path>', 'instance path, e.g. /vm1/tomcat')
    .action((app: string, path: string) => removeInstance(context, app, path));
  command
    .command('bind')
    .description('Run an undeployed root instance on an agent')
    .argument('<app>', 'application name')
    .argument('<path>', 'root instance path, e.g. /vm1')
    .argument('<agent>', 'agent name')
    .action((app: string, path: string, agent: string) => bindAgent(context, app, path, agent));
  return command;
}
