import { Body, Controller, Delete, Get, HttpCode, Param, Post } from '@nestjs/common';
import {
  ApiBody,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiTags,
} from '@nestjs/swagger';
import { parseRequest } from '../../common/parse-request';
import { CurrentOperator } from '../auth/current-operator.decorator';
import type { Operator } from '../auth/operator';
import { ApplicationsService } from './applications.service';
import {
  ApplicationDto,
  BIND_AGENT_SCHEMA,
  BindAgentDto,
  CREATE_APPLICATION_SCHEMA,
  CreateApplicationDto,
  InstanceDto,
} from './dto/application.dto';
import { InstancesService } from './instances.service';

/** Applications created from templates, and their instances. */
@ApiTags('applications')
@Controller('applications')
export class ApplicationsController {
  constructor(
    private readonly applications: ApplicationsService,
    private readonly instances: InstancesService,
  ) {}

  @Post()
  @ApiBody({ type: CreateApplicationDto })
  @ApiCreatedResponse({ type: ApplicationDto })
  @ApiNotFoundResponse({ description: 'No such template' })
  @ApiConflictResponse({ description: 'The name is taken' })
  async create(
    @Body() body: unknown,
    @CurrentOperator() operator: Operator,
  ): Promise<ApplicationDto> {
    const request = parseRequest(CREATE_APPLICATION_SCHEMA, body, 'body');
    return ApplicationDto.from(await this.applications.create(request, operator));
  }

  @Get()
  @ApiOkResponse({ type: [ApplicationDto] })
  async list(): Promise<ApplicationDto[]> {
    return (await this.applications.list()).map((application) => ApplicationDto.from(application));
  }

  @Get(':name')
  @ApiOkResponse({ type: ApplicationDto })
  async get(@Param('name') name: string): Promise<ApplicationDto> {
    return ApplicationDto.from(await this.applications.get(name));
  }

  @Delete(':name')
  @HttpCode(204)
  @ApiNoContentResponse({ description: 'Deleted with its instances' })
  @ApiConflictResponse({ description: 'Some instances are still deployed' })
  async delete(@Param('name') name: string, @CurrentOperator() operator: Operator) {
    await this.applications.delete(name, operator);
  }

  @Get(':name/instances')
  @ApiOkResponse({ type: [InstanceDto] })
  async listInstances(@Param('name') name: string): Promise<InstanceDto[]> {
    return (await this.instances.list(name)).map((instance) => InstanceDto.from(instance));
  }

  @Post(':name/instances/bind-agent')
  @HttpCode(204)
  @ApiBody({ type: BindAgentDto })
  @ApiNoContentResponse({ description: 'Bound' })
  @ApiConflictResponse({ description: 'Not an undeployed root instance' })
  async bindAgent(
    @Param('name') name: string,
    @Body() body: unknown,
    @CurrentOperator() operator: Operator,
  ) {
    const { path, agent } = parseRequest(BIND_AGENT_SCHEMA, body, 'body');
    await this.instances.bindAgent(name, path, agent, operator);
  }
}
