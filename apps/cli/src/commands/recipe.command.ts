import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Command, Option } from 'commander';
import { formatDiagnostic, hasErrors, loadTemplate, type LoadedTemplate } from '@flotilla/model';
import {
  createFirewall,
  formatPortRule,
  PortLedger,
  type Firewall,
  type FirewallBackendName,
  type RecipeStepName,
} from '@flotilla/recipes';
import { CliError } from '../cli-error';
import type { CliContext, CliOutput } from '../config/cli-context';
import { Painter } from '../output/colours';
import { parseImportOverride, recipeSubjectOf, type RecipeSubject } from '../recipe/recipe-subject';
import { RecipeTestRunner, type RecipeStepReport } from '../recipe/recipe-test-runner';
import { ThrowawayHost } from '../recipe/throwaway-host';

/** The lifecycle a recipe test runs when no `--step` is given. */
const FULL_LIFECYCLE: readonly RecipeStepName[] = ['deploy', 'start', 'stop', 'undeploy'];
/** The address the test host's exports use for `ip` (the namespace has only loopback). */
const TEST_HOST_IP = '127.0.0.1';

interface RecipeTestOptions {
  readonly step?: RecipeStepName;
  readonly import: string[];
  readonly namespace: boolean;
  readonly firewall?: FirewallBackendName;
  readonly json?: boolean;
}

/** What is still open when the steps are over: listening sockets and firewall ledger ports. */
interface LeftOpen {
  readonly listening: readonly string[];
  readonly firewall: readonly string[];
}

async function loadOrFail(
  path: string,
  output: CliOutput,
): Promise<{ template: LoadedTemplate; extractedTo?: string }> {
  const result = await loadTemplate(path);
  for (const diagnostic of result.diagnostics) {
    output.write(`${formatDiagnostic(diagnostic)}\n`);
  }
  if (result.template === undefined || hasErrors(result.diagnostics)) {
    if (result.extractedTo) {
      await rm(result.extractedTo, { recursive: true, force: true });
    }
    throw new CliError(
      'TEMPLATE_REFUSED',
      `${path} is not a valid template (see the errors above)`,
    );
  }
  return {
    template: result.template,
    ...(result.extractedTo ? { extractedTo: result.extractedTo } : {}),
  };
}

async function runRecipeTest(
  context: CliContext,
  templatePath: string,
  componentName: string,
  options: RecipeTestOptions,
): Promise<void> {
  const report = options.json === true ? context.stderr : context.stdout;
  const painter = new Painter(report, context.env);
  const overrides = options.import.map(parseImportOverride);
  const { template, extractedTo } = await loadOrFail(resolve(templatePath), report);
  const subject = recipeSubjectOf(template, componentName, overrides, TEST_HOST_IP);
  const host = await ThrowawayHost.create(options.namespace);
  const workDir = await mkdtemp(join(tmpdir(), 'flotilla-recipe-test-'));
  try {
    const backend = options.firewall ?? (host.namespace === undefined ? 'none' : 'nft');
    const firewall = await openFirewall(backend, host, workDir);
    const before = new Set(await host.listeningPorts());
    announce(report, subject, `${template.name}) on ${host.describe()}, firewall ${backend}`);
    const runner = new RecipeTestRunner({
      application: template.name,
      subject,
      host,
      firewall,
      workDir,
      inherited: context.env,
      output: report,
      painter,
    });
    const steps = await runner.run(options.step === undefined ? FULL_LIFECYCLE : [options.step]);
    const left = await leftOpen(host, firewall, before);
    finish(context, options, painter, steps, left);
  } finally {
    await cleanUp(host, report, [workDir, ...(extractedTo ? [extractedTo] : [])]);
  }
}

function announce(report: CliOutput, subject: RecipeSubject, where: string): void {
  report.write(
    `Recipe test of ${subject.component.name} as ${subject.instance.path} (template ${where}\n`,
  );
  for (const prefix of subject.missingPrefixes) {
    report.write(
      `warning: nothing exports ${prefix}; give its variables with --import ${prefix}.VARIABLE=VALUE\n`,
    );
  }
}

async function leftOpen(
  host: ThrowawayHost,
  firewall: Firewall,
  before: ReadonlySet<string>,
): Promise<LeftOpen> {
  return {
    listening: (await host.listeningPorts()).filter((port) => !before.has(port)),
    firewall: (await firewall.list()).flatMap((entry) =>
      entry.rules.map((rule) => `${formatPortRule(rule)} (${entry.owner})`),
    ),
  };
}

async function openFirewall(backend: FirewallBackendName, host: ThrowawayHost, workDir: string) {
  const ledger = new PortLedger(join(workDir, 'ports.json'));
  await ledger.load();
  const firewall = createFirewall(backend, { ledger, executor: host.executor() });
  await firewall.reconcile();
  return firewall;
}

async function cleanUp(host: ThrowawayHost, report: CliOutput, directories: readonly string[]) {
  const killed = await host.destroy();
  if (killed.length > 0) {
    report.write(
      `Killed what the recipe left running in the namespace: pids ${killed.join(', ')}\n`,
    );
  }
  for (const directory of directories) {
    await rm(directory, { recursive: true, force: true });
  }
}

function finish(
  context: CliContext,
  options: RecipeTestOptions,
  painter: Painter,
  steps: readonly RecipeStepReport[],
  left: LeftOpen,
): void {
  const report = options.json === true ? context.stderr : context.stdout;
  const open = [
    ...left.listening.map((port) => `listening ${port}`),
    ...left.firewall.map((rule) => `firewall ${rule}`),
  ];
  report.write(
    open.length === 0
      ? `${painter.paint('good', 'Ports still open: none')}\n`
      : `${painter.paint('bad', 'Ports still open:')}\n${open.map((line) => `  ${line}\n`).join('')}`,
  );
  if (options.json === true) {
    context.stdout.write(`${JSON.stringify({ steps, portsStillOpen: left }, null, 2)}\n`);
  }
  const failed = steps.find((step) => step.status !== 'succeeded' && step.status !== 'skipped');
  if (failed) {
    throw new CliError(
      'STEP_FAILED',
      `${failed.step} ${failed.status} (exit code ${String(failed.exitCode)})`,
    );
  }
  if (open.length > 0 && options.step === undefined) {
    throw new CliError('STEP_FAILED', `The full lifecycle left ${open.length} port(s) open`);
  }
}

/** The `recipe` subcommand: `recipe test` runs a component's recipes here, without a DM. */
export function recipeCommand(context: CliContext): Command {
  const command = new Command('recipe').description("Recipe authors' tools (no DM needed)");
  command
    .command('test')
    .description(
      "Run one component's lifecycle (deploy, start, stop, undeploy) on this machine, in a throwaway network namespace when root, showing every variable, the output, exit codes and the ports left open",
    )
    .argument('<template>', 'template directory or archive')
    .argument('<component>', 'component to run, e.g. Database')
    .addOption(
      new Option('--step <step>', 'run only this step').choices([
        'deploy',
        'start',
        'stop',
        'undeploy',
        'update',
      ]),
    )
    .option(
      '--import <Prefix.variable=value>',
      'set an imported variable (repeatable); others come from the template defaults',
      (value: string, previous: string[]) => [...previous, value],
      [] as string[],
    )
    .option('--no-namespace', 'run on this host even as root')
    .addOption(
      new Option(
        '--firewall <backend>',
        'firewall backend (default: nft in a namespace, none otherwise)',
      ).choices(['nft', 'iptables', 'none']),
    )
    .option(
      '--json',
      'print the step reports and open ports as JSON (the transcript goes to stderr)',
    )
    .action((templatePath: string, component: string, options: RecipeTestOptions) =>
      runRecipeTest(context, templatePath, component, options),
    );
  return command;
}
