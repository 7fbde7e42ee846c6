import { Injectable } from '@nestjs/common';
import { provisionAgentBrokerUsers } from '@flotilla/messaging';
import { BatchQueue, type BatchOutcome } from '../deployments/batch-queue';
import { DmBroker } from '../messaging/dm-broker';
import { BROKER_USERS_PER_IMPORT } from './enrollment.constants';

/** An agent's broker user to provision, or as provisioned: its name and the password that holds. */
export interface ProvisionedBrokerUser {
  readonly agentName: string;
  readonly username: string;
  readonly password: string;
}

/**
 * Provisions agents' broker users in batches (group commit, decision 0186): a request made while
 * no import runs goes out at once, alone; requests made meanwhile go out together in the next
 * import (at most BROKER_USERS_PER_IMPORT), one management API call for all of them. When one
 * agent is asked for twice in a batch, both callers get the password of the last request, the one
 * the broker keeps.
 */
@Injectable()
export class BrokerUserBatcher {
  private readonly queue: BatchQueue<ProvisionedBrokerUser, ProvisionedBrokerUser>;

  constructor(private readonly broker: DmBroker) {
    this.queue = new BatchQueue((batch) => this.importBatch(batch), BROKER_USERS_PER_IMPORT);
  }

  /**
   * Creates (or updates) the agent's broker user with the request's password; resolves with the
   * credentials the broker now holds.
   * @throws AmqpError AMQP_MANAGEMENT_API when the management API refuses the batch.
   */
  provision(request: ProvisionedBrokerUser): Promise<ProvisionedBrokerUser> {
    return this.queue.add(request);
  }

  private async importBatch(
    batch: readonly ProvisionedBrokerUser[],
  ): Promise<Array<BatchOutcome<ProvisionedBrokerUser>>> {
    const last = new Map(batch.map((request) => [request.username, request]));
    await provisionAgentBrokerUsers(this.broker.management, this.broker.topology, [
      ...last.values(),
    ]);
    return batch.map((request) => ({ isOk: true, value: last.get(request.username) ?? request }));
  }
}
