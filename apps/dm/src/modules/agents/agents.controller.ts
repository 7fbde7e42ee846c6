import { Controller, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ApiConflictResponse, ApiNotFoundResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { CurrentOperator } from '../auth/current-operator.decorator';
import type { Operator } from '../auth/operator';
import { AgentsService } from './agents.service';
import { AgentDto } from './dto/agent.dto';

/** The agents and the operators' trust decisions about them. */
@ApiTags('agents')
@ApiNotFoundResponse({ description: 'No agent has that name' })
@Controller('agents')
export class AgentsController {
  constructor(private readonly agents: AgentsService) {}

  @Get()
  @ApiOkResponse({ type: [AgentDto] })
  async list(): Promise<AgentDto[]> {
    return (await this.agents.list()).map((agent) => AgentDto.from(agent));
  }

  @Get(':name')
  @ApiOkResponse({ type: AgentDto })
  async get(@Param('name') name: string): Promise<AgentDto> {
    return AgentDto.from(await this.agents.get(name));
  }

  @Post(':name/accept')
  @HttpCode(200)
  @ApiOkResponse({ type: AgentDto, description: 'pending → trusted' })
  @ApiConflictResponse({ description: 'The agent is not pending' })
  async accept(@Param('name') name: string, @CurrentOperator() operator: Operator) {
    return AgentDto.from(await this.agents.decide(name, 'accept', operator));
  }

  @Post(':name/reject')
  @HttpCode(200)
  @ApiOkResponse({ type: AgentDto, description: 'pending → rejected' })
  @ApiConflictResponse({ description: 'The agent is not pending' })
  async reject(@Param('name') name: string, @CurrentOperator() operator: Operator) {
    return AgentDto.from(await this.agents.decide(name, 'reject', operator));
  }

  @Post(':name/revoke')
  @HttpCode(200)
  @ApiOkResponse({ type: AgentDto, description: 'trusted → revoked' })
  @ApiConflictResponse({ description: 'The agent is not trusted' })
  async revoke(@Param('name') name: string, @CurrentOperator() operator: Operator) {
    return AgentDto.from(await this.agents.decide(name, 'revoke', operator));
  }
}
