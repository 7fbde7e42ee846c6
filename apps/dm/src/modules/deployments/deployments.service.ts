import type { AgentlessSetupPayload } from '@flotilla/protocol';
import { Injectable } from '@nestjs/common';
import type { LifecycleRequest, RequestableState } from '@flotilla/model';
import { DmError } from '../../errors';
import { TransactionRunner } from '../../persistence/transaction-runner';
import { ApplicationStateRepository } from './application-state.repository';
import { CommandsRepository } from './commands.repository';
import { RECENT_RUNS_LIMIT } from './deployments.constants';
import { ReconcilerService, type ReconcileOutcome } from './reconciler.service';

/** The bulk actions on a whole application and the state each one asks of every root subtree. */
export const BULK_ACTIONS: Readonly<Record<string, RequestableState>> = {
  'deploy-all': 'deployed_stopped',
  'start-all': 'deployed_started',
  'stop-all': 'deployed_stopped',
  'undeploy-all': 'not_deployed',
};

/** One step run of an instance, as the logs endpoint shows it. */
export interface StepRun {
  readonly jobId: string;
  readonly step: string;
  readonly attempt: number;
  readonly status: string;
  readonly agent: string | null;
  readonly sentAt: string | null;
  readonly exitCode: number | null;
  readonly logTail: string;
  /**
   * What a proxy did around an agentless step (connect, upload, clean-up) and why that failed,
   * apart from the recipe's output; with `handedOver`, why the step moved to another proxy.
   */
  readonly setup?: AgentlessSetupPayload & { readonly handedOver?: string };
}

/** The set-up part of a finished command's stored result, when its step was agentless. */
function setupOf(result: Record<string, unknown> | null): StepRun['setup'] {
  const handedOver = typeof result?.handedOver === 'string' ? result.handedOver : undefined;
  const inner = (handedOver === undefined ? result : result?.result) as
    { setup?: AgentlessSetupPayload } | undefined;
  if (inner?.setup === undefined && handedOver === undefined) {
    return undefined;
  }
  return {
    target: inner?.setup?.target ?? '',
    log: inner?.setup?.log ?? [],
    ...(inner?.setup?.failure === undefined ? {} : { failure: inner.setup.failure }),
    ...(handedOver === undefined ? {} : { handedOver }),
  };
}

/** Operators' orchestration use cases: desired states, bulk actions and step logs. */
@Injectable()
export class DeploymentsService {
  constructor(
    private readonly reconciler: ReconcilerService,
    private readonly transactions: TransactionRunner,
    private readonly states: ApplicationStateRepository,
    private readonly commands: CommandsRepository,
  ) {}

  /** Sets the desired state of one instance or subtree, or (without a path) of every root subtree. */
  async setDesiredState(
    application: string,
    target: { path?: string; state: RequestableState; scope?: 'instance' | 'subtree' },
    actor: string,
  ): Promise<ReconcileOutcome> {
    if (target.path !== undefined) {
      const request: LifecycleRequest = {
        instancePath: target.path,
        targetState: target.state,
        scope: target.scope ?? 'subtree',
      };
      return this.reconciler.request(application, [request], actor);
    }
    const roots = await this.transactions.run(async (manager) => {
      const state = await this.states.loadByName(application, manager);
      return state.instances
        .filter((instance) => instance.parentId === null)
        .map((root) => root.path);
    });
    const requests = roots.map((path) => ({
      instancePath: path,
      targetState: target.state,
      scope: 'subtree' as const,
    }));
    return this.reconciler.request(application, requests, actor);
  }

  /** The most recent step runs of one instance, newest first. */
  async recentRuns(application: string, path: string): Promise<StepRun[]> {
    return this.transactions.run(async (manager) => {
      const state = await this.states.loadByName(application, manager);
      const instance = state.instances.find((entry) => entry.path === path);
      if (instance === undefined) {
        throw new DmError('NOT_FOUND', `No instance ${path} in application ${application}`, {
          path,
        });
      }
      const commands = await this.commands.recentOf(instance.id, RECENT_RUNS_LIMIT, manager);
      return commands.map((command) => ({
        jobId: command.jobId,
        step: command.step,
        attempt: command.attempt,
        status: command.status,
        agent: command.agentName,
        sentAt: command.sentAt?.toISOString() ?? null,
        exitCode: (command.result?.exitCode as number | null | undefined) ?? null,
        logTail: (command.result?.logTail as string | undefined) ?? '',
        ...(setupOf(command.result) === undefined ? {} : { setup: setupOf(command.result) }),
      }));
    });
  }
}
