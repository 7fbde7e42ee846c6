import { Command } from 'commander';
import {
  bootstrap,
  closeOnShutdownSignals,
  DM_FLAG_VARIABLES,
  loadDmConfig,
  loadDmIdentity,
  type DmFlags,
} from '@flotilla/dm';

/** The options `flotilla dm` parses: every DM flag plus `--print-thumbprint`. */
interface DmCommandOptions extends DmFlags {
  readonly printThumbprint?: boolean;
}

/** What each flag means; the variable it stands for is appended from DM_FLAG_VARIABLES. */
const DESCRIPTIONS: Readonly<Partial<Record<keyof DmFlags, string>>> = {
  port: 'REST API port (default 8181)',
  host: 'address to listen on (default 0.0.0.0)',
  dataDir: 'embedded database, generated admin password (default ~/.flotilla/dm)',
  databaseUrl: 'PostgreSQL URL; without it the embedded database is used',
  amqpUrl: "RabbitMQ URL, or the comma-separated URLs of a cluster's nodes",
  amqpQueueType: 'classic, or quorum on a RabbitMQ cluster (default classic)',
  heartbeatInterval: 'seconds between agent heartbeats (default 10)',
  missedHeartbeats: 'heartbeats an agent may miss before it is lost (default 3)',
  enrollAllowlist: 'comma-separated agent thumbprints (sha256:<hex>) trusted at enrollment',
  enrollTokens: 'comma-separated one-time enrollment tokens',
  sessionTtlHours: 'hours an operator session lasts (default 12)',
  loginAttemptsPerMinute: 'login attempts per IP and per username (default 10)',
  logLevel: 'fatal, error, warn, info, debug, trace or silent (default info)',
};

function kebab(flag: string): string {
  return flag.replace(/[A-Z]/g, (letter) => `-${letter.toLowerCase()}`);
}

/**
 * `flotilla dm`: runs the Deployment Manager until SIGTERM/SIGINT. Every flag stands for a
 * `FLOTILLA_*` variable (flags win); the configuration is validated before anything starts.
 */
export function dmCommand(): Command {
  const command = new Command('dm').description(
    'Run the Deployment Manager: REST API under /api, OpenAPI at /api/docs, metrics at /metrics',
  );
  for (const [flag, variable] of Object.entries(DM_FLAG_VARIABLES)) {
    const description = DESCRIPTIONS[flag as keyof DmFlags] ?? 'see the README';
    command.option(`--${kebab(flag)} <value>`, `${description} (${variable})`);
  }
  command.option(
    '--print-thumbprint',
    'create the DM identity if needed, print its thumbprint (give it to agents) and exit',
  );
  return command.action(async (options: DmCommandOptions) => {
    const { printThumbprint, ...flags } = options;
    if (printThumbprint === true) {
      const identity = await loadDmIdentity(loadDmConfig(process.env, flags).dataDir);
      process.stdout.write(`${identity.thumbprint}\n`);
      return;
    }
    const server = await bootstrap({ flags });
    closeOnShutdownSignals(server);
    process.stdout.write(
      `Flotilla DM listening on ${server.url} (database: ${server.database}); ` +
        `API docs at ${server.url}/api/docs\n`,
    );
  });
}
