import { setTimeout as delay } from 'node:timers/promises';
import type { DmClient } from '../api/dm-client';
import { CliError } from '../cli-error';
import type { AgentView } from '../commands/dm-views';
import { ENROLL_POLL_INTERVAL_MS } from './agent-install.constants';

/** The DM's answer to a pre-registration (`POST /api/agents/preregistrations`). */
export interface PreregistrationView {
  readonly outcome: 'registered' | 'unchanged' | 'accepted';
  readonly agent: AgentView;
  readonly dm: { readonly thumbprint: string; readonly brokerNamespace?: string };
}

/** Records the agent's thumbprint with the DM, which trusts it at its first enrollment. */
export function preregisterAgent(
  dm: DmClient,
  name: string,
  thumbprint: string,
): Promise<PreregistrationView> {
  return dm.request<PreregistrationView>('POST', '/api/agents/preregistrations', {
    json: { name, thumbprint },
  });
}

/**
 * Waits until the DM has seen agent `name` (trusted, last seen after `seenBefore`).
 * @throws CliError WAIT_TIMEOUT after `timeoutSeconds`, with `describeFailure()` appended.
 */
export async function waitForEnrollment(
  dm: DmClient,
  name: string,
  seenBefore: string | null,
  timeoutSeconds: number,
  describeFailure: () => Promise<string>,
): Promise<AgentView> {
  const deadline = Date.now() + timeoutSeconds * 1000;
  for (;;) {
    const agent = await dm.request<AgentView>('GET', `/api/agents/${encodeURIComponent(name)}`);
    if (agent.state === 'trusted' && agent.lastSeenAt !== null && agent.lastSeenAt !== seenBefore) {
      return agent;
    }
    if (Date.now() > deadline) {
      throw new CliError(
        'WAIT_TIMEOUT',
        `Agent ${name} did not enroll within ${timeoutSeconds} s (state ${agent.state}, last seen ${agent.lastSeenAt ?? 'never'}). Its last log lines:\n${await describeFailure()}`,
      );
    }
    await delay(ENROLL_POLL_INTERVAL_MS);
  }
}
