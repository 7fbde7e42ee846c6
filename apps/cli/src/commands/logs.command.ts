import { Command } from 'commander';
import { connectToDm } from '../api/connect';
import type { CliContext } from '../config/cli-context';
import { Painter } from '../output/colours';
import { printResult } from '../output/print';
import type { StepRunView } from './dm-views';

/** The path of the logs endpoint of one instance (its path travels URL-encoded). */
export function logsPathOf(app: string, instancePath: string): string {
  return `/api/applications/${encodeURIComponent(app)}/instances/${encodeURIComponent(instancePath)}/logs`;
}

function renderRuns(runs: readonly StepRunView[], painter: Painter): string {
  if (runs.length === 0) {
    return 'No step has run on this instance yet\n';
  }
  return runs
    .map((run) => {
      const exit = run.exitCode === null ? 'no exit code' : `exit ${run.exitCode}`;
      const header = `== ${run.step} (attempt ${run.attempt}) ${run.status}, ${exit}, agent ${run.agent ?? '-'}, sent ${run.sentAt ?? '-'}`;
      const tail = run.logTail === '' ? '' : `${run.logTail.replace(/\n?$/, '\n')}`;
      return `${painter.paint('strong', header)}\n${setupOf(run)}${tail}`;
    })
    .join('');
}

/** An agentless step's set-up lines, marked apart from the recipe's output. */
function setupOf(run: StepRunView): string {
  const setup = run.setup;
  if (setup === undefined) {
    return '';
  }
  const lines = [
    ...setup.log,
    ...(setup.failure === undefined
      ? []
      : [`FAILED (${setup.failure.phase}) ${setup.failure.code}: ${setup.failure.message}`]),
    ...(setup.handedOver === undefined ? [] : [`handed over: ${setup.handedOver}`]),
  ];
  return lines.map((line) => `[proxy set-up ${setup.target}] ${line}\n`).join('');
}

async function showLogs(
  context: CliContext,
  app: string,
  instancePath: string,
  options: { json?: boolean },
): Promise<void> {
  const path = instancePath.startsWith('/') ? instancePath : `/${instancePath}`;
  const runs = await (
    await connectToDm(context)
  ).request<StepRunView[]>('GET', logsPathOf(app, path));
  printResult(context, options.json, runs, () =>
    renderRuns(runs, new Painter(context.stdout, context.env)),
  );
}

/** The `logs` subcommand: an instance's recent step runs with exit codes and log tails. */
export function logsCommand(context: CliContext): Command {
  return new Command('logs')
    .description("Show an instance's recent recipe runs: step, exit code and the end of the log")
    .argument('<app>', 'application name')
    .argument('<instance-path>', 'instance path, e.g. /vm1/tomcat')
    .option('--json', 'print JSON')
    .action((app: string, instancePath: string, options: { json?: boolean }) =>
      showLogs(context, app, instancePath, options),
    );
}
