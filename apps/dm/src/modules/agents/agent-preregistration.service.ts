import { Injectable } from '@nestjs/common';
import { DmError } from '../../errors';
import { TransactionRunner } from '../../persistence/transaction-runner';
import { AuditService } from '../audit/audit.service';
import { operatorActor, type Operator } from '../auth/operator';
import type { Agent } from './agent';
import { AgentsRepository } from './agents.repository';
import { AgentsService } from './agents.service';

/** What a pre-registration did: created a trusted agent, found it trusted already, or accepted it. */
export type PreregistrationOutcome = 'registered' | 'unchanged' | 'accepted';

/**
 * The install-time thumbprint exchange (Octopus' "register the tentacle's thumbprint"): an operator
 * who installed an agent records its name and thumbprint, and the agent is trusted as soon as it
 * enrolls with that key, with no manual accept. Idempotent for the same name and thumbprint.
 */
@Injectable()
export class AgentPreregistrationService {
  constructor(
    private readonly agents: AgentsService,
    private readonly repository: AgentsRepository,
    private readonly transactions: TransactionRunner,
    private readonly audit: AuditService,
  ) {}

  /**
   * Trusts agent `name` with `thumbprint` (`sha256:<hex>`) before it enrolls; audited.
   * @throws DmError CONFLICT when the name belongs to another thumbprint or to a rejected or
   * revoked agent.
   */
  async preregister(
    name: string,
    thumbprint: string,
    operator: Operator,
  ): Promise<{ outcome: PreregistrationOutcome; agent: Agent }> {
    const result = await this.transactions.run(async (tx) => {
      const agent = await this.repository.insertPreregistered(name, thumbprint, tx);
      if (!agent) {
        const known = await this.repository.lockByName(name, tx);
        if (!known) {
          throw new DmError('CONFLICT', `Agent ${name} was removed while being pre-registered`, {
            agent: name,
          });
        }
        return { outcome: checkKnown(known, thumbprint), agent: known };
      }
      await this.audit.record(
        {
          actor: operatorActor(operator),
          action: 'agent.preregistered',
          target: `agent:${name}`,
          details: { thumbprint },
        },
        tx,
      );
      return { outcome: 'registered' as const, agent };
    });
    if (result.outcome === 'accepted') {
      // Its own transaction and event: the waiting agent gets its broker credentials at once.
      return { outcome: 'accepted', agent: await this.agents.decide(name, 'accept', operator) };
    }
    return result;
  }
}

/**
 * What to do about an agent that already has the name: nothing when trusted with that
 * thumbprint, accept it when pending with it, refuse otherwise.
 */
function checkKnown(known: Agent, thumbprint: string): PreregistrationOutcome {
  if (known.thumbprint !== thumbprint) {
    throw new DmError(
      'CONFLICT',
      `Agent ${known.name} is already known with thumbprint ${known.thumbprint}, not ${thumbprint}: revoke it or choose another name`,
      { agent: known.name, known: known.thumbprint, presented: thumbprint },
    );
  }
  switch (known.state) {
    case 'trusted':
      return 'unchanged';
    case 'pending':
      return 'accepted';
    case 'rejected':
    case 'revoked':
      throw new DmError(
        'CONFLICT',
        `Agent ${known.name} is ${known.state}: an operator decided against this key; install with a new identity and another name`,
        { agent: known.name, state: known.state },
      );
  }
}
