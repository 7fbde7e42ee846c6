import { Body, Controller, HttpCode, Inject, Post } from '@nestjs/common';
import { ApiBody, ApiConflictResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { Identity } from '@flotilla/messaging';
import { parseRequest } from '../../common/parse-request';
import type { DmConfig } from '../../config/dm-config';
import { DM_CONFIG } from '../../dm.constants';
import { CurrentOperator } from '../auth/current-operator.decorator';
import type { Operator } from '../auth/operator';
import { DM_IDENTITY } from '../messaging/messaging.constants';
import { toStoredThumbprint } from '../messaging/thumbprints';
import { AgentPreregistrationService } from './agent-preregistration.service';
import { AgentDto } from './dto/agent.dto';
import {
  PREREGISTRATION_SCHEMA,
  PreregistrationDto,
  PreregistrationResultDto,
} from './dto/agent-preregistration.dto';

/** `POST /api/agents/preregistrations`: trust an installed agent's key before it first enrolls. */
@ApiTags('agents')
@Controller('agents/preregistrations')
export class AgentPreregistrationsController {
  constructor(
    private readonly preregistrations: AgentPreregistrationService,
    @Inject(DM_IDENTITY) private readonly identity: Identity,
    @Inject(DM_CONFIG) private readonly config: DmConfig,
  ) {}

  @Post()
  @HttpCode(200)
  @ApiBody({ type: PreregistrationDto })
  @ApiOkResponse({ type: PreregistrationResultDto })
  @ApiConflictResponse({ description: 'The name belongs to another key, or to a refused agent' })
  async preregister(
    @Body() body: unknown,
    @CurrentOperator() operator: Operator,
  ): Promise<PreregistrationResultDto> {
    const { name, thumbprint } = parseRequest(PREREGISTRATION_SCHEMA, body, 'body');
    const { outcome, agent } = await this.preregistrations.preregister(
      name,
      toStoredThumbprint(thumbprint),
      operator,
    );
    return {
      outcome,
      agent: AgentDto.from(agent),
      dm: {
        thumbprint: this.identity.thumbprint,
        ...(this.config.amqpNamespace ? { brokerNamespace: this.config.amqpNamespace } : {}),
      },
    };
  }
}
