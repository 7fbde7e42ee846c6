import { Command } from 'commander';
import { connectToDm } from '../api/connect';
import { CliError } from '../cli-error';
import type { CliContext } from '../config/cli-context';
import { readPasswordFromStdin } from '../config/password-prompt';
import { Painter } from '../output/colours';
import { printResult } from '../output/print';
import type { InstanceView } from './dm-views';
import { renderInstanceTree } from './instance-tree';
import { parseSshAddress } from './ssh-target-option';

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
  readonly ssh?: string;
  readonly hostKey?: string;
  readonly proxy?: string;
  readonly keyName?: string;
  readonly passwordStdin?: boolean;
  readonly sudo?: boolean;
  readonly firewall?: string;
  readonly json?: boolean;
}

/** The agentless declaration of a new root from `--ssh` and its companions. */
async function agentlessBody(context: CliContext, path: string, options: AddOptions) {
  if (options.hostKey === undefined) {
    throw new CliError(
      'USAGE',
      '--ssh needs --host-key SHA256:... (ssh-keygen -lf of its host key)',
    );
  }
  const { user, host, port } = parseSshAddress(options.ssh ?? '');
  return {
    path,
    host,
    port,
    user,
    hostKeyFingerprint: options.hostKey,
    ...(options.keyName === undefined ? {} : { keyName: options.keyName }),
    ...(options.passwordStdin === true ? { password: await readPasswordFromStdin(context) } : {}),
    useSudo: options.sudo === true,
    firewall: options.firewall ?? 'nft',
    proxies: (options.proxy ?? '')
      .split(',')
      .map((name) => name.trim())
      .filter((name) => name !== ''),
  };
}

async function addInstance(
  context: CliContext,
  [app, parentPath, component, name]: readonly string[],
  options: AddOptions,
): Promise<void> {
  const isRoot = parentPath === '/' || parentPath === '';
  if (options.ssh !== undefined && (!isRoot || options.agent !== undefined)) {
    throw new CliError(
      'USAGE',
      '--ssh declares a new root instance agentless: give "/" and no --agent',
    );
  }
  const agentless =
    options.ssh === undefined ? undefined : await agentlessBody(context, `/${name ?? ''}`, options);
  const dm = await connectToDm(context);
  const added = await dm.request<InstanceView>('POST', instancesPathOf(app ?? ''), {
    json: {
      ...(isRoot ? {} : { parentPath }),
      component,
      name,
      ...(options.agent === undefined ? {} : { agent: options.agent }),
    },
  });
  if (agentless !== undefined) {
    await dm.request(
      'POST',
      `/api/applications/${encodeURIComponent(app ?? '')}/agentless-targets`,
      {
        json: agentless,
      },
    );
  }
  const how = agentless === undefined ? '' : `, agentless at ${options.ssh ?? ''}`;
  printResult(
    context,
    options.json,
    added,
    () => `Added ${added.path} (${added.component}${how})\n`,
  );
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

/** `instance add`, with `--ssh` for a new agentless root. */
function addInstanceCommand(context: CliContext): Command {
  return new Command('add')
    .description('Add an instance under PARENT-PATH ("/" for a new root instance)')
    .argument('<app>', 'application name')
    .argument('<parent-path>', 'parent instance path, e.g. /vm1, or / for a root')
    .argument('<component>', 'component of the new instance')
    .argument('<name>', 'name of the new instance')
    .option('--agent <name>', 'agent of a new root instance')
    .option('--ssh <user@host:port>', 'make the new root agentless: reached over SSH by a proxy')
    .option('--host-key <fingerprint>', "with --ssh: the host's pinned key, SHA256:...")
    .option('--proxy <names>', 'with --ssh: proxy agents, first choice first (default: any)')
    .option('--key-name <file>', "with --ssh: which of the proxy's key files to log in with")
    .option('--password-stdin', 'with --ssh: log in with a password read from stdin')
    .option('--sudo', 'with --ssh: run the firewall through sudo -n')
    .option('--firewall <mode>', 'with --ssh: nft (default), nft-managed or none')
    .option('--json', 'print the instance as JSON')
    .action((app: string, parent: string, component: string, name: string, options: AddOptions) =>
      addInstance(context, [app, parent, component, name], options),
    );
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
  command.addCommand(addInstanceCommand(context));
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
