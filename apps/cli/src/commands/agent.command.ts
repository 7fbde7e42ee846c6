import { Command, Option } from 'commander';
import { agentThumbprint, loadAgentConfig, runAgent, type AgentFlags } from '@flotilla/agent';

/** The options `flotilla agent` parses: every agent flag plus `--print-thumbprint`. */
interface AgentCommandOptions extends AgentFlags {
  readonly printThumbprint?: boolean;
}

/**
 * `flotilla agent`: runs an agent on this host until SIGTERM/SIGINT; with `--print-thumbprint`
 * creates the identity if needed and prints its 64-hex thumbprint for the operator to register.
 * Every flag stands for a `FLOTILLA_*` variable (README "Running an agent"); flags win.
 */
export function agentCommand(): Command {
  return new Command('agent')
    .description('Run a Flotilla agent on this host (it reaches the DM only through RabbitMQ)')
    .option('--print-thumbprint', 'create the identity if needed, print its thumbprint and exit')
    .option('--name <name>', 'agent name (FLOTILLA_AGENT_NAME; default: hostname)')
    .option('--amqp-url <url>', 'broker URL with enrollment credentials (FLOTILLA_AMQP_URL)')
    .option('--broker-namespace <prefix>', 'exchange/queue name prefix (FLOTILLA_BROKER_NAMESPACE)')
    .option('--dm-thumbprint <hex>', 'thumbprint of the DM to obey (FLOTILLA_DM_THUMBPRINT)')
    .option('--enrollment-token <token>', 'one-time enrollment token (FLOTILLA_ENROLLMENT_TOKEN)')
    .option('--data-dir <dir>', 'identity and working state (FLOTILLA_DATA_DIR)')
    .addOption(
      new Option('--firewall <backend>', 'firewall backend (FLOTILLA_FIREWALL)').choices([
        'nft',
        'iptables',
        'none',
      ]),
    )
    .option(
      '--firewall-managed',
      'drop inbound traffic except opened ports (FLOTILLA_FIREWALL_MANAGED)',
    )
    .option('--always-open <rules>', 'ports always open, e.g. 22/tcp (FLOTILLA_ALWAYS_OPEN_PORTS)')
    .option('--recipe-timeout <ms>', 'longest a step may run (FLOTILLA_RECIPE_TIMEOUT_MS)')
    .option('--recipe-user <user>', 'user recipes run as (FLOTILLA_RECIPE_USER)')
    .option('--heartbeat-interval <ms>', 'heartbeat interval (FLOTILLA_HEARTBEAT_INTERVAL_MS)')
    .option('--log-level <level>', 'debug, info, warn or error (FLOTILLA_LOG_LEVEL)')
    .option('--proxy', 'serve agentless hosts over SSH for the DM (FLOTILLA_PROXY)')
    .option('--proxy-key <files>', 'comma-separated SSH private key files (FLOTILLA_PROXY_KEYS)')
    .option('--proxy-concurrency <n>', 'agentless steps run at once (FLOTILLA_PROXY_CONCURRENCY)')
    .action(async (options: AgentCommandOptions) => {
      const { printThumbprint, ...flags } = options;
      if (printThumbprint === true) {
        process.stdout.write(`${await agentThumbprint(process.env, flags)}\n`);
        return;
      }
      await runAgent(loadAgentConfig(process.env, flags));
    });
}
