import { readFile } from 'node:fs/promises';
import { Command, Option } from 'commander';
import type { SshCredential } from '@flotilla/recipes';
import { connectToDm } from '../api/connect';
import { CliError } from '../cli-error';
import type { CliContext } from '../config/cli-context';
import { readPasswordFromStdin } from '../config/password-prompt';
import { DEFAULT_ENROLL_WAIT_SECONDS } from '../agent-install/agent-install.constants';
import {
  AgentInstaller,
  agentNameOf,
  asInstallError,
  type AgentInstallRequest,
} from '../agent-install/agent-installer';
import { parseSshAddress } from './ssh-target-option';

/** The options `flotilla agent install` parses. */
interface AgentInstallOptions {
  readonly ssh: string;
  readonly hostKey: string;
  readonly identity?: string;
  readonly passwordStdin?: boolean;
  readonly name?: string;
  readonly broker: string;
  readonly firewall?: string;
  readonly sudo?: boolean;
  readonly systemd: boolean;
  readonly prefix?: string;
  readonly wait: string;
}

async function credentialOf(
  context: CliContext,
  options: AgentInstallOptions,
): Promise<SshCredential> {
  if ((options.identity === undefined) === (options.passwordStdin !== true)) {
    throw new CliError('USAGE', 'Give exactly one of --identity <keyfile> and --password-stdin');
  }
  if (options.passwordStdin === true) {
    return { kind: 'password', password: await readPasswordFromStdin(context) };
  }
  const keyFile = options.identity ?? '';
  const privateKey = await readFile(keyFile).catch((error: unknown) => {
    throw new CliError('USAGE', `--identity ${keyFile}: ${String(error)}`);
  });
  return { kind: 'private-key', privateKey };
}

async function requestOf(
  context: CliContext,
  options: AgentInstallOptions,
): Promise<AgentInstallRequest> {
  const address = parseSshAddress(options.ssh);
  const waitSeconds = Number(options.wait);
  if (!Number.isInteger(waitSeconds) || waitSeconds < 1) {
    throw new CliError('USAGE', `--wait ${options.wait}: must be a whole number of seconds`);
  }
  return {
    target: {
      ...address,
      hostKeyFingerprint: options.hostKey,
      credential: await credentialOf(context, options),
      useSudo: options.sudo === true,
    },
    ...(options.name === undefined ? {} : { name: agentNameOf(options.name) }),
    brokerUrl: options.broker,
    ...(options.firewall === undefined ? {} : { firewall: options.firewall }),
    prefix: options.prefix ?? '',
    isSystemdAllowed: options.systemd,
    waitSeconds,
  };
}

async function install(context: CliContext, options: AgentInstallOptions): Promise<void> {
  const request = await requestOf(context, options);
  const dm = await connectToDm(context);
  try {
    const result = await new AgentInstaller(dm, context.stdout).install(request);
    context.stdout.write(
      `Agent ${result.name} is installed (${result.mode === 'systemd' ? 'systemd unit' : 'started directly, no systemd'}), enrolled and trusted: thumbprint ${result.thumbprint}\n`,
    );
  } catch (error: unknown) {
    throw asInstallError(error);
  }
}

/**
 * `flotilla agent install --ssh user@host`: installs and starts an agent on a host over SSH and
 * pre-registers its thumbprint with the DM the CLI is logged in to (no manual accept). Idempotent.
 */
export function agentInstallCommand(context: CliContext): Command {
  return new Command('install')
    .description('Install an agent on a host over SSH, trusted by the DM without a manual accept')
    .requiredOption('--ssh <user@host[:port]>', 'the host to install on')
    .requiredOption('--host-key <SHA256:...>', 'the pinned SSH host key (ssh-keygen -lf)')
    .option('--identity <keyfile>', 'SSH private key to log in with')
    .option('--password-stdin', 'read the SSH password from stdin')
    .option('--name <name>', 'agent name (default: the host name)')
    .requiredOption(
      '--broker <url>',
      'broker URL with enrollment credentials, as the host reaches it',
    )
    .addOption(
      new Option('--firewall <backend>', 'firewall backend of the agent').choices([
        'nft',
        'iptables',
        'none',
      ]),
    )
    .option('--sudo', 'run the install through sudo -n (a non-root login)')
    .option('--no-systemd', 'start the agent directly even where systemd runs')
    .option('--prefix <dir>', 'install under this directory instead of / (trials, tests)')
    .option(
      '--wait <seconds>',
      'how long to wait for the agent to enroll',
      String(DEFAULT_ENROLL_WAIT_SECONDS),
    )
    .action((options: AgentInstallOptions) => install(context, options));
}
