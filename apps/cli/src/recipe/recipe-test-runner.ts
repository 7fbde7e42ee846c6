import { cp, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import {
  buildStepEnvironment,
  DEFAULT_OUTPUT_CAP_BYTES,
  RecipeStepExecutor,
  resolveStepScript,
  ScriptRunner,
  type Firewall,
  type RecipeStepName,
  type StepEnvironmentInput,
} from '@flotilla/recipes';
import type { CliOutput } from '../config/cli-context';
import type { Painter } from '../output/colours';
import { QuotedOutput } from '../output/quoted-output';
import type { RecipeSubject } from './recipe-subject';
import type { ThrowawayHost } from './throwaway-host';

/** How long one step of a recipe test may run. */
const RECIPE_TEST_STEP_TIMEOUT_MS = 5 * 60 * 1000;

/** What one step did, for the report and the exit code. */
export interface RecipeStepReport {
  readonly step: RecipeStepName;
  readonly script: string | null;
  readonly status: string;
  readonly exitCode: number | null;
  readonly environment: Readonly<Record<string, string>>;
}

/** Where a recipe test runs and what it prints to. */
export interface RecipeTestSetup {
  readonly application: string;
  readonly subject: RecipeSubject;
  readonly host: ThrowawayHost;
  readonly firewall: Firewall;
  readonly workDir: string;
  readonly inherited: Readonly<Record<string, string | undefined>>;
  readonly output: CliOutput;
  readonly painter: Painter;
}

/** Runs a component's steps one after the other as an agent would, printing what each one gets. */
export class RecipeTestRunner {
  private readonly executor: RecipeStepExecutor;
  private readonly instanceDir: string;

  constructor(private readonly setup: RecipeTestSetup) {
    this.executor = new RecipeStepExecutor({
      runner: new ScriptRunner(),
      firewall: setup.firewall,
      socketParentDir: join(setup.workDir, 'run'),
    });
    this.instanceDir = join(setup.workDir, 'instance');
  }

  /** Runs the steps in order and stops at the first that does not succeed. */
  async run(steps: readonly RecipeStepName[]): Promise<RecipeStepReport[]> {
    await this.prepareInstanceDir();
    const reports: RecipeStepReport[] = [];
    for (const step of steps) {
      const report = await this.runStep(step);
      reports.push(report);
      if (report.status !== 'succeeded' && report.status !== 'skipped') {
        break;
      }
    }
    return reports;
  }

  private async prepareInstanceDir(): Promise<void> {
    await mkdir(join(this.instanceDir, 'files'), { recursive: true });
    await mkdir(join(this.setup.workDir, 'run'), { recursive: true });
    const { recipeDir } = this.setup.subject;
    if (recipeDir !== undefined) {
      await cp(join(recipeDir, 'files'), join(this.instanceDir, 'files'), {
        recursive: true,
      }).catch((error: unknown) => {
        if ((error as NodeJS.ErrnoException).code !== 'ENOENT') {
          throw error;
        }
      });
    }
  }

  private environmentInput(): Omit<
    StepEnvironmentInput,
    'firewallHelperPath' | 'firewallSocketPath'
  > {
    const { subject, application, inherited } = this.setup;
    return {
      instanceName: subject.instance.name,
      instancePath: subject.instance.path,
      component: subject.component.name,
      application,
      exports: subject.exports,
      imports: subject.imports,
      ancestors: subject.ancestors,
      filesDir: join(this.instanceDir, 'files'),
      agentName: 'recipe-test',
      inherited,
    };
  }

  private async runStep(step: RecipeStepName): Promise<RecipeStepReport> {
    const { output, painter, subject, host, workDir } = this.setup;
    const script =
      subject.recipeDir === undefined
        ? undefined
        : await resolveStepScript(subject.recipeDir, step);
    const environment = this.environmentInput();
    // The executor adds the firewall helper and socket; show the rest exactly as the script gets it.
    const shown = buildStepEnvironment(environment);
    output.write(
      `${painter.paint('strong', `== ${step}: ${script ?? 'no script (nothing to run)'}`)}\n`,
    );
    if (script === undefined) {
      return { step, script: null, status: 'skipped', exitCode: null, environment: shown };
    }
    output.write(
      'environment (the step also gets FLOTILLA_FW, FLOTILLA_FW_SOCKET and the helper on PATH when a firewall is on):\n',
    );
    for (const name of Object.keys(shown).sort()) {
      output.write(`  ${name}=${shown[name]}\n`);
    }
    output.write('output:\n');
    const quoted = new QuotedOutput(output);
    const outcome = await this.executor.execute({
      step,
      scriptPath: await host.wrap(script, workDir, step),
      cwd: this.instanceDir,
      environment,
      timeoutMs: RECIPE_TEST_STEP_TIMEOUT_MS,
      outputCapBytes: DEFAULT_OUTPUT_CAP_BYTES,
      onOutput: (chunk) => quoted.write(chunk),
    });
    quoted.end();
    const exitCode = outcome.result?.exitCode ?? null;
    const tone = outcome.status === 'succeeded' ? 'good' : 'bad';
    const detail = outcome.result === undefined ? outcome.logTail : `exit code ${String(exitCode)}`;
    output.write(`${painter.paint(tone, `${step} ${outcome.status}: ${detail}`)}\n`);
    return { step, script, status: outcome.status, exitCode, environment: shown };
  }
}
