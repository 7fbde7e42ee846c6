import { Command } from 'commander';
import { connectToDm } from '../api/connect';
import { DEFAULT_WAIT_TIMEOUT_SECONDS, WAIT_POLL_INTERVAL_MS } from '../cli.constants';
import type { CliContext } from '../config/cli-context';
import { DeploymentWaiter } from '../deploy/deployment-waiter';
import { printResult } from '../output/print';
import { ProgressBar } from '../output/progress-bar';
import { instancesPathOf } from './instance.command';

/** The state each lifecycle command asks for, and the DM's bulk action for a whole application. */
const LIFECYCLE_ACTIONS = {
  deploy: { state: 'deployed_stopped', bulk: 'deploy-all', summary: 'Deploy (without starting)' },
  start: { state: 'deployed_started', bulk: 'start-all', summary: 'Deploy if needed and start' },
  stop: { state: 'deployed_stopped', bulk: 'stop-all', summary: 'Stop' },
  undeploy: { state: 'not_deployed', bulk: 'undeploy-all', summary: 'Stop if needed and undeploy' },
} as const;

type LifecycleAction = keyof typeof LIFECYCLE_ACTIONS;

interface LifecycleOptions {
  readonly wait: boolean;
  readonly timeout: string;
  readonly json?: boolean;
}

async function runLifecycle(
  context: CliContext,
  action: LifecycleAction,
  app: string,
  path: string | undefined,
  options: LifecycleOptions,
): Promise<void> {
  const dm = await connectToDm(context);
  const { state, bulk } = LIFECYCLE_ACTIONS[action];
  const outcome =
    path === undefined
      ? await dm.request<unknown>(
          'POST',
          `/api/applications/${encodeURIComponent(app)}/actions/${bulk}`,
        )
      : await dm.request<unknown>('POST', `${instancesPathOf(app)}/desired-state`, {
          json: { path, state, scope: 'subtree' },
        });
  const scope = path === undefined ? app : `${app} ${path}`;
  if (!options.wait) {
    printResult(context, options.json, outcome, () => `Asked for ${scope} to be ${state}\n`);
    return;
  }
  const waiter = new DeploymentWaiter(dm, {
    timeoutMs: Number(options.timeout) * 1000,
    pollIntervalMs: WAIT_POLL_INTERVAL_MS,
  });
  const progressStream = options.json === true ? context.stderr : context.stdout;
  const instances = await waiter.wait(
    { app, state, ...(path === undefined ? {} : { path }) },
    (total) => new ProgressBar(progressStream, total),
  );
  printResult(context, options.json, instances, () => `${scope}: every instance is ${state}\n`);
}

/** The `deploy`, `start`, `stop` and `undeploy` subcommands. */
export function lifecycleCommands(context: CliContext): Command[] {
  return (Object.keys(LIFECYCLE_ACTIONS) as LifecycleAction[]).map((action) =>
    new Command(action)
      .description(
        `${LIFECYCLE_ACTIONS[action].summary} an application or one instance subtree, then wait until every instance is ${LIFECYCLE_ACTIONS[action].state}`,
      )
      .argument('<app>', 'application name')
      .argument('[instance-path]', 'instance subtree, e.g. /vm1 (default: the whole application)')
      .option('--no-wait', 'return once the DM accepted the request')
      .option(
        '--timeout <seconds>',
        'give up waiting after this long',
        String(DEFAULT_WAIT_TIMEOUT_SECONDS),
      )
      .option('--json', 'print the final instances as JSON (progress goes to stderr)')
      .action((app: string, path: string | undefined, options: LifecycleOptions) =>
        runLifecycle(context, action, app, path, options),
      ),
  );
}
