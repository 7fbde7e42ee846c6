import { Injectable, type OnModuleInit } from '@nestjs/common';
import type { OpenedEnvelope } from '@flotilla/messaging';
import {
  AGENT_INVENTORY_V1,
  AGENT_STEP_OUTPUT_V1,
  AGENT_STEP_RESULT_V1,
  type StepOutputPayload,
  type StepResultPayload,
} from '@flotilla/protocol';
import { DmBroker } from '../messaging/dm-broker';
import { CommandDispatcher } from './command-dispatcher';
import { RESEND_AFTER_MS } from './deployments.constants';
import { ReconcilerService } from './reconciler.service';

/**
 * Thin handlers of agents' lifecycle reports in the DM's inbox: step results go to the
 * reconciler, an inventory (an agent starting or accepted) has its unanswered jobs sent again,
 * live output is relayed to `/api/events` listeners.
 */
@Injectable()
export class AgentReportsHandler implements OnModuleInit {
  constructor(
    private readonly broker: DmBroker,
    private readonly reconciler: ReconcilerService,
    private readonly dispatcher: CommandDispatcher,
  ) {}

  onModuleInit(): void {
    this.broker.handleInbox(AGENT_STEP_RESULT_V1.type, async (envelope) => {
      await this.reconciler.applyResult(
        envelope.sender.name,
        (envelope as OpenedEnvelope<StepResultPayload>).payload,
      );
    });
    this.broker.handleInbox(AGENT_INVENTORY_V1.type, async (envelope) => {
      const sentBefore = new Date(envelope.issuedAt);
      await this.dispatcher.pass(new Date(Date.now() - RESEND_AFTER_MS), {
        name: envelope.sender.name,
        sentBefore,
      });
    });
    this.broker.handleInbox(AGENT_STEP_OUTPUT_V1.type, (envelope) => {
      const output = (envelope as OpenedEnvelope<StepOutputPayload>).payload;
      this.reconciler.relayOutput(envelope.sender.name, output);
    });
  }
}
