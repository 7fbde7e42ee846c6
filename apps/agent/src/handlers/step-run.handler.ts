import { type OpenedEnvelope } from '@flotilla/messaging';
import {
  AGENT_STEP_OUTPUT_V1,
  AGENT_STEP_RESULT_V1,
  MAX_OUTPUT_CHUNK_CHARS,
  type StepResultPayload,
  type StepRunPayload,
} from '@flotilla/protocol';
import type { OutputStream } from '@flotilla/recipes';
import type { JobJournal } from '../jobs/job-journal';
import type { DmOutbox } from '../lifecycle-events/dm-outbox';
import type { Proxy } from '../proxy/create-proxy';
import { logContext, type StepJobRunner } from '../runner/step-job-runner';
import type { AgentLogger } from '../support/agent-logger';

/** What the step handler works with. */
export interface StepRunHandlerOptions {
  readonly journal: JobJournal;
  readonly runner: StepJobRunner;
  readonly outbox: DmOutbox;
  readonly logger: AgentLogger;
  /** The proxy role, when the agent has it: agentless jobs run there, beside the queue. */
  readonly proxy?: Proxy;
}

/**
 * Handles `dm.step.run.v1`: a job runs at most once (the journal records it before the script
 * starts), a duplicate is answered with the recorded result, output is streamed while the step
 * runs, and the result is journaled before it is published. An agentless job (a proxy's) is
 * journaled here too, then runs in the proxy's lane so that the queue moves on meanwhile.
 */
export function stepRunHandler(options: StepRunHandlerOptions) {
  const { journal, outbox, logger, proxy } = options;
  return async (envelope: OpenedEnvelope): Promise<void> => {
    const command = envelope.payload as StepRunPayload;
    const context = { messageId: envelope.messageId, ...logContext(command) };
    const known = await journal.get(command.jobId);
    if (known?.result !== undefined) {
      logger.info('duplicate job: answering with the recorded result', context);
      await publishResult(outbox, known.result, envelope.messageId);
      return;
    }
    if (known !== undefined) {
      logger.warn('job already running: duplicate ignored', context);
      return;
    }
    const entry = journalEntryOf(command);
    await journal.begin(entry);
    logger.info('step started', { ...context, isAgentless: command.agentless !== undefined });
    const job = async (): Promise<void> => {
      const streamer = outputStreamer(outbox, command, logger);
      const result = await runJob(options, command, streamer.onOutput);
      await streamer.flushed();
      await journal.finish({ ...entry, status: 'running' }, result);
      logger.info(`step ${result.status}`, { ...context, exitCode: result.exitCode });
      await publishResult(outbox, result, envelope.messageId);
    };
    if (command.agentless === undefined || proxy === undefined) {
      await job();
      return;
    }
    await proxy.lane.submit(() =>
      job().catch((error: unknown) =>
        // The journal still says running: the next start reports the job as interrupted.
        logger.error('agentless step not reported', { ...context, error: String(error) }),
      ),
    );
  };
}

function journalEntryOf(command: StepRunPayload) {
  return {
    jobId: command.jobId,
    attempt: command.attempt,
    instancePath: command.instance.path,
    step: command.step,
    acceptedAt: Date.now(),
  };
}

/** Runs the job where it belongs: here, on its agentless target, or nowhere (not a proxy). */
async function runJob(
  options: StepRunHandlerOptions,
  command: StepRunPayload,
  onOutput: (chunk: string, stream: OutputStream) => void,
): Promise<StepResultPayload> {
  if (command.agentless === undefined) {
    return options.runner.run(command, onOutput);
  }
  if (options.proxy === undefined) {
    const now = Date.now();
    return {
      jobId: command.jobId,
      attempt: command.attempt,
      instancePath: command.instance.path,
      step: command.step,
      status: 'refused',
      exitCode: null,
      signal: null,
      logTail: '',
      exports: command.exports,
      openPorts: [],
      refusal: {
        code: 'NOT_A_PROXY',
        message: 'This agent was not started with --proxy: it runs no agentless steps',
      },
      startedAt: now,
      endedAt: now,
    };
  }
  return options.proxy.runner.run(command, onOutput);
}

async function publishResult(
  outbox: DmOutbox,
  result: StepResultPayload,
  correlationId: string,
): Promise<void> {
  await outbox.send('step.result', AGENT_STEP_RESULT_V1.type, result, {
    correlationId,
    jobId: result.jobId,
  });
}

/**
 * Streams output chunks (split to the protocol's size) in order, ahead of the result; a lost chunk
 * is only logged (the full log stays on the agent, the tail goes with the result).
 */
function outputStreamer(outbox: DmOutbox, command: StepRunPayload, logger: AgentLogger) {
  let sequence = 0;
  let chain: Promise<unknown> = Promise.resolve();
  const onOutput = (text: string, stream: OutputStream): void => {
    for (let start = 0; start < text.length; start += MAX_OUTPUT_CHUNK_CHARS) {
      const payload = {
        jobId: command.jobId,
        instancePath: command.instance.path,
        sequence: sequence++,
        stream,
        chunk: text.slice(start, start + MAX_OUTPUT_CHUNK_CHARS),
      };
      chain = chain
        .then(() =>
          outbox.send('step.output', AGENT_STEP_OUTPUT_V1.type, payload, { jobId: command.jobId }),
        )
        .catch((error: unknown) =>
          logger.warn('step output chunk not sent', {
            ...logContext(command),
            error: String(error),
          }),
        );
    }
  };
  const flushed = async (): Promise<void> => {
    await chain;
  };
  return { onOutput, flushed };
}
