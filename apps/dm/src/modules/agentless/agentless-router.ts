import { Injectable } from '@nestjs/common';
import type { AgentlessTargetPayload } from '@flotilla/protocol';
import type { Transaction } from '../../persistence/transaction-runner';
import { rootPathOf } from '../deployments/application-state';
import { TRIED_PROXIES_FIELD } from './agentless.constants';
import { AgentlessSecrets } from './agentless-secrets';
import type { AgentlessTarget } from './agentless-target';
import { AgentlessTargetsRepository, type ProxyCandidate } from './agentless-targets.repository';

/** A command as the router needs it (a subset of the reconciler's `StepCommand`). */
export interface RoutableCommand {
  readonly jobId: string;
  readonly applicationId: string;
  readonly instancePath: string;
  readonly status: string;
  readonly agentName: string | null;
  readonly details: object;
}

/** Where a command goes when its root is agentless. */
export type AgentlessRoute =
  /** Not agentless: the root's agent runs it. */
  | { readonly kind: 'agent' }
  /** Agentless, and no proxy that may serve it is up: it waits. */
  | { readonly kind: 'waiting' }
  /** Sent to a proxy that is no longer up: hand it to the next one (a new attempt). */
  | { readonly kind: 'hand-over'; readonly from: string }
  /** Send it to this proxy with this target block. */
  | { readonly kind: 'proxy'; readonly proxy: string; readonly target: AgentlessTargetPayload };

/**
 * Routes the steps of agentless roots: to the first proxy that is up (in the target's ordered
 * list, or any accepted agent offering the proxy role), skipping those the step was already
 * handed from while another one is up; a resend goes to the same proxy while it is up.
 */
@Injectable()
export class AgentlessRouter {
  constructor(
    private readonly targets: AgentlessTargetsRepository,
    private readonly secrets: AgentlessSecrets,
  ) {}

  /** Where `command` goes now. */
  async route(command: RoutableCommand, tx: Transaction): Promise<AgentlessRoute> {
    const rootPath = rootPathOf(command.instancePath);
    const target = await this.targets.findByRoot(command.applicationId, rootPath, tx);
    if (target === undefined) {
      return { kind: 'agent' };
    }
    const up = await this.targets.proxiesUp(tx);
    const isResend = command.status === 'sent' && command.agentName !== null;
    const chosen = isResend
      ? up.find((proxy) => proxy.name === command.agentName)
      : choose(target, up, triedProxiesOf(command.details));
    if (chosen === undefined) {
      return isResend ? { kind: 'hand-over', from: command.agentName ?? '' } : { kind: 'waiting' };
    }
    const heldPorts = await this.targets.heldPorts(command.applicationId, rootPath, tx);
    return this.toProxy(target, chosen, command.jobId, heldPorts);
  }

  /**
   * Whether the command's root may be agentless: false only when it was not a moment ago (`roots`
   * from `AgentlessTargetsRepository.rootKeys`), so that agent roots cost no query per command.
   */
  static isMaybeAgentless(command: RoutableCommand, roots: ReadonlySet<string>): boolean {
    return roots.has(`${command.applicationId} ${rootPathOf(command.instancePath)}`);
  }

  /** Whether a proxy other than those already tried (and `failed`) is up for the command's root. */
  async hasUntriedProxy(command: RoutableCommand, failed: string, tx: Transaction) {
    const target = await this.targets.findByRoot(
      command.applicationId,
      rootPathOf(command.instancePath),
      tx,
    );
    if (target === undefined) {
      return false;
    }
    const tried = [...triedProxiesOf(command.details), failed];
    return allowed(target, await this.targets.proxiesUp(tx)).some((p) => !tried.includes(p.name));
  }

  private toProxy(
    target: AgentlessTarget,
    proxy: ProxyCandidate,
    jobId: string,
    heldPorts: NonNullable<AgentlessTargetPayload['heldPorts']>,
  ): AgentlessRoute {
    let credential: AgentlessTargetPayload['credential'] = {
      kind: 'proxy-key',
      ...(target.keyName === null ? {} : { keyName: target.keyName }),
    };
    if (target.sealedPassword !== null) {
      if (proxy.encryptionPublicKey === null) {
        return { kind: 'waiting' };
      }
      credential = this.secrets.forProxy(
        target.sealedPassword,
        target.instanceId,
        { ...proxy, encryptionPublicKey: proxy.encryptionPublicKey },
        jobId,
      );
    }
    return {
      kind: 'proxy',
      proxy: proxy.name,
      target: {
        host: target.host,
        port: target.port,
        user: target.user,
        hostKeyFingerprint: target.hostKeyFingerprint,
        credential,
        useSudo: target.useSudo,
        firewall: { ...target.firewall },
        heldPorts,
      },
    };
  }
}

/** The proxies up that may serve `target`, in its order of preference. */
function allowed(target: AgentlessTarget, up: readonly ProxyCandidate[]): ProxyCandidate[] {
  if (target.proxies.length === 0) {
    return [...up];
  }
  return target.proxies
    .map((name) => up.find((proxy) => proxy.name === name))
    .filter((proxy): proxy is ProxyCandidate => proxy !== undefined);
}

/** The first allowed proxy not tried yet; when every one was tried, the first allowed one. */
function choose(
  target: AgentlessTarget,
  up: readonly ProxyCandidate[],
  tried: readonly string[],
): ProxyCandidate | undefined {
  const candidates = allowed(target, up);
  return candidates.find((proxy) => !tried.includes(proxy.name)) ?? candidates[0];
}

/** The proxies a step was already handed from (kept in its command's details). */
export function triedProxiesOf(details: object): string[] {
  const tried = (details as Record<string, unknown>)[TRIED_PROXIES_FIELD];
  return Array.isArray(tried)
    ? tried.filter((name): name is string => typeof name === 'string')
    : [];
}
