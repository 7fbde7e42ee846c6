import { EventEmitter } from 'node:events';
import type { OpenedEnvelope, SecureConsumer } from '@flotilla/messaging';
import {
  AGENT_STEP_RESULT_V1,
  DM_RECIPE_BUNDLE_V1,
  DM_STEP_RUN_V1,
  type RecipeBundlePayload,
  type StepResultPayload,
  type StepRunPayload,
} from '@flotilla/protocol';

/** The first port a simulated agent hands out for `random[port]` exports. */
const FIRST_RANDOM_PORT = 20_000;
/** What a simulated agent reports as its instances' address. */
const SIMULATED_IP = '127.0.0.1';

type Send = (type: string, payload: unknown, jobId: string) => Promise<void>;

/**
 * The step side of a simulated agent: keeps the bundles it received, refuses a step whose bundle
 * it lacks (`BUNDLE_MISSING`), runs each job at most once (a duplicate gets the recorded result),
 * fills `ip` and random ports in the exports, and reports success, or failure for the steps
 * `failing` matches. Emits `step` (the run command) for each job it runs.
 */
export class SimulatedStepRunner extends EventEmitter<{ step: [StepRunPayload] }> {
  /** Every job run, in the order the agent ran them. */
  readonly runs: StepRunPayload[] = [];
  /** Digests of the bundles received. */
  readonly bundles = new Set<string>();
  /** Steps (`<path> <step>`) to fail with exit code 1. */
  readonly failing = new Set<string>();
  /** Every job id received, duplicates included. */
  readonly received: string[] = [];
  private readonly results = new Map<string, StepResultPayload>();
  private held: StepRunPayload[] | undefined;
  private nextPort = FIRST_RANDOM_PORT;

  constructor(
    private readonly agentName: string,
    private readonly send: Send,
  ) {
    super();
  }

  /** Registers the bundle and step handlers on the agent's consumer. */
  register(consumer: SecureConsumer): void {
    consumer.handle(DM_RECIPE_BUNDLE_V1.type, (envelope) => {
      this.bundles.add((envelope.payload as RecipeBundlePayload).bundle.digest);
    });
    consumer.handle(DM_STEP_RUN_V1.type, (envelope) =>
      this.run(envelope as OpenedEnvelope<StepRunPayload>),
    );
  }

  /**
   * The first run of `step` on the instance at `path`, already run or the next one to come; fails
   * after `timeoutMs` naming the step.
   */
  nextStep(path: string, step: string, timeoutMs = 30_000): Promise<StepRunPayload> {
    const isWanted = (run: StepRunPayload): boolean =>
      run.instance.path === path && run.step === step;
    const done = this.runs.find(isWanted);
    if (done !== undefined) {
      return Promise.resolve(done);
    }
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.off('step', listener);
        reject(new Error(`${this.agentName} ran no ${step} of ${path} within ${timeoutMs} ms`));
      }, timeoutMs);
      const listener = (run: StepRunPayload): void => {
        if (isWanted(run)) {
          clearTimeout(timer);
          this.off('step', listener);
          resolve(run);
        }
      };
      this.on('step', listener);
    });
  }

  /** Keeps the steps received from now on without running them, until `release()`. */
  hold(): void {
    this.held ??= [];
  }

  /** Runs the held steps in the order they came, and stops holding. */
  async release(): Promise<void> {
    const held = this.held ?? [];
    this.held = undefined;
    for (const command of held) {
      await this.execute(command);
    }
  }

  private async run(envelope: OpenedEnvelope<StepRunPayload>): Promise<void> {
    this.received.push(envelope.payload.jobId);
    if (this.held !== undefined) {
      this.held.push(envelope.payload);
      return;
    }
    await this.execute(envelope.payload);
  }

  private async execute(command: StepRunPayload): Promise<void> {
    const recorded = this.results.get(command.jobId);
    if (recorded !== undefined) {
      await this.send(AGENT_STEP_RESULT_V1.type, recorded, command.jobId);
      return;
    }
    if (command.bundle !== undefined && !this.bundles.has(command.bundle.digest)) {
      await this.send(AGENT_STEP_RESULT_V1.type, this.refusal(command), command.jobId);
      return;
    }
    this.runs.push(command);
    this.emit('step', command);
    const result = this.outcome(command);
    this.results.set(command.jobId, result);
    await this.send(AGENT_STEP_RESULT_V1.type, result, command.jobId);
  }

  private outcome(command: StepRunPayload): StepResultPayload {
    const isFailing = this.failing.has(`${command.instance.path} ${command.step}`);
    const exports: Record<string, string> = { ...command.exports };
    // A real agent knows its address; the simulated one answers for every instance with loopback.
    exports[`${command.instance.component}.ip`] = SIMULATED_IP;
    for (const name of command.randomPorts) {
      exports[name] = String(this.nextPort++);
    }
    return {
      ...baseResult(command),
      status: isFailing ? 'failed' : 'succeeded',
      exitCode: isFailing ? 1 : 0,
      logTail: `${this.agentName}: ${command.step} ${command.instance.path}${isFailing ? ' failed' : ''}\n`,
      exports,
    };
  }

  private refusal(command: StepRunPayload): StepResultPayload {
    return {
      ...baseResult(command),
      status: 'refused',
      exitCode: null,
      logTail: '',
      refusal: {
        code: 'BUNDLE_MISSING',
        message: `bundle ${command.bundle?.digest ?? ''} not held`,
      },
    };
  }
}

/** The fields every report of `command` shares. */
export function baseResult(
  command: StepRunPayload,
): Omit<StepResultPayload, 'status' | 'exitCode' | 'logTail'> {
  const now = Date.now();
  return {
    jobId: command.jobId,
    attempt: command.attempt,
    instancePath: command.instance.path,
    step: command.step,
    signal: null,
    exports: command.exports,
    openPorts: [],
    startedAt: now,
    endedAt: now,
  };
}
