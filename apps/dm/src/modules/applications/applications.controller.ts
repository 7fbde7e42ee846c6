import { Body, Controller, Delete, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import {
  ApiBody,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiQuery,
  ApiTags,
} from '@nestjs/swagger';
import { parseRequest } from '../../common/parse-request';
import { CurrentOperator } from '../auth/current-operator.decorator';
import type { Operator } from '../auth/operator';
import { ApplicationBindingsService } from './application-bindings.service';
import { ApplicationsService } from './applications.service';
import {
  ADD_INSTANCE_SCHEMA,
  AddInstanceDto,
  ApplicationDto,
  BIND_AGENT_SCHEMA,
  BIND_AGENTS_SCHEMA,
  BINDING_SCHEMA,
  BindingDto,
  BindAgentDto,
  BindAgentsDto,
  CREATE_APPLICATION_SCHEMA,
  CreateApplicationDto,
  InstanceDto,
  REMOVE_INSTANCE_SCHEMA,
} from './dto/application.dto';
import { InstanceTreeService } from './instance-tree.service';
import { InstancesService } from './instances.service';

/** Applications created from templates, and their instances. */
@ApiTags('applications')
@Controller('applications')
export class ApplicationsController {
  constructor(
    private readonly applications: ApplicationsService,
    private readonly instances: InstancesService,
    private readonly tree: InstanceTreeService,
    private readonly bindings: ApplicationBindingsService,
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

  @Post(':name/bindings')
  @HttpCode(200)
  @ApiBody({ type: BindingDto })
  @ApiOkResponse({ description: 'The bindings after the change (prefix → applications)' })
  async bind(
    @Param('name') name: string,
    @Body() body: unknown,
    @CurrentOperator() operator: Operator,
  ): Promise<Record<string, string[]>> {
    const binding = parseRequest(BINDING_SCHEMA, body, 'body');
    return this.bindings.change(name, binding, true, operator);
  }

  @Delete(':name/bindings')
  @ApiQuery({ name: 'prefix' })
  @ApiQuery({ name: 'application' })
  @ApiOkResponse({ description: 'The bindings after the change (prefix → applications)' })
  async unbind(
    @Param('name') name: string,
    @Query() query: unknown,
    @CurrentOperator() operator: Operator,
  ): Promise<Record<string, string[]>> {
    const binding = parseRequest(BINDING_SCHEMA, query, 'query');
    return this.bindings.change(name, binding, false, operator);
  }

  @Get(':name/instances')
  @ApiOkResponse({ type: [InstanceDto] })
  async listInstances(@Param('name') name: string): Promise<InstanceDto[]> {
    return (await this.instances.list(name)).map((instance) => InstanceDto.from(instance));
  }

  @Post(':name/instances')
  @ApiBody({ type: AddInstanceDto })
  @ApiCreatedResponse({ type: InstanceDto })
  @ApiConflictResponse({ description: 'The path is taken' })
  async addInstance(
    @Param('name') name: string,
    @Body() body: unknown,
    @CurrentOperator() operator: Operator,
  ): Promise<InstanceDto> {
    const request = parseRequest(ADD_INSTANCE_SCHEMA, body, 'body');
    const added = await this.tree.add(name, request, operator);
    return InstanceDto.from({ ...added, runsOn: null, isAgentLost: false, agentless: null });
  }

  @Delete(':name/instances')
  @HttpCode(204)
  @ApiQuery({ name: 'path', example: '/vm1/tomcat' })
  @ApiNoContentResponse({ description: 'Removed with its descendants' })
  @ApiConflictResponse({ description: 'The instance or a descendant is deployed' })
  async removeInstance(
    @Param('name') name: string,
    @Query() query: unknown,
    @CurrentOperator() operator: Operator,
  ): Promise<void> {
    const { path } = parseRequest(REMOVE_INSTANCE_SCHEMA, query, 'query');
    await this.tree.remove(name, path, operator);
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

  @Post(':name/instances/bind-agents')
  @HttpCode(204)
  @ApiBody({ type: BindAgentsDto })
  @ApiNoContentResponse({ description: 'All bound (or none: one transaction)' })
  @ApiConflictResponse({ description: 'One of them is not an undeployed root instance' })
  async bindAgents(
    @Param('name') name: string,
    @Body() body: unknown,
    @CurrentOperator() operator: Operator,
  ) {
    const { bindings } = parseRequest(BIND_AGENTS_SCHEMA, body, 'body');
    await this.instances.bindAgents(name, bindings, operator);
  }
}
