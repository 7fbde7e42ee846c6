import { Body, Controller, Delete, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import {
  ApiBody,
  ApiConflictResponse,
  ApiNoContentResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiQuery,
  ApiTags,
} from '@nestjs/swagger';
import { parseRequest } from '../../common/parse-request';
import { CurrentOperator } from '../auth/current-operator.decorator';
import type { Operator } from '../auth/operator';
import { AgentlessService } from './agentless.service';
import {
  AGENTLESS_PATH_SCHEMA,
  AgentlessTargetDto,
  DECLARE_AGENTLESS_SCHEMA,
  DeclareAgentlessDto,
} from './dto/agentless-target.dto';

/** Agentless root instances: reached over SSH by a proxy agent instead of running an agent. */
@ApiTags('applications')
@Controller('applications')
export class AgentlessController {
  constructor(private readonly agentless: AgentlessService) {}

  @Post(':name/agentless-targets')
  @HttpCode(204)
  @ApiBody({ type: DeclareAgentlessDto })
  @ApiNoContentResponse({ description: 'Declared' })
  @ApiNotFoundResponse({ description: 'No such application, instance or proxy agent' })
  @ApiConflictResponse({ description: 'Not an undeployed root instance bound to no agent' })
  async declare(
    @Param('name') name: string,
    @Body() body: unknown,
    @CurrentOperator() operator: Operator,
  ): Promise<void> {
    await this.agentless.declare(
      name,
      parseRequest(DECLARE_AGENTLESS_SCHEMA, body, 'body'),
      operator,
    );
  }

  @Get(':name/agentless-targets')
  @ApiOkResponse({ type: [AgentlessTargetDto] })
  async list(@Param('name') name: string): Promise<AgentlessTargetDto[]> {
    return (await this.agentless.list(name)).map((view) =>
      AgentlessTargetDto.from(view.path, view.target, view.servingProxy),
    );
  }

  @Delete(':name/agentless-targets')
  @HttpCode(204)
  @ApiQuery({ name: 'path', example: '/vm1' })
  @ApiNoContentResponse({ description: 'The root instance is no longer agentless' })
  async remove(
    @Param('name') name: string,
    @Query() query: unknown,
    @CurrentOperator() operator: Operator,
  ): Promise<void> {
    const { path } = parseRequest(AGENTLESS_PATH_SCHEMA, query, 'query');
    await this.agentless.remove(name, path, operator);
  }
}
