import {
  Body,
  Controller,
  Get,
  HttpStatus,
  Param,
  Post,
  Query,
  Req,
  Res,
  Sse,
  type MessageEvent,
} from '@nestjs/common';
import { REQUESTABLE_STATES } from '@flotilla/model';
import type { Response } from 'express';
import { filter, from, map, switchMap, type Observable } from 'rxjs';
import { z } from 'zod';
import { parseRequest } from '../../common/parse-request';
import { ApplicationsService } from '../applications/applications.service';
import { InstancesService } from '../applications/instances.service';
import { operatorActor } from '../auth/operator';
import { DeploymentEvents, type DeploymentEvent } from '../deployments/deployment-events';
import { DeploymentsService } from '../deployments/deployments.service';
import { ApplicationViewService } from './application-view.service';
import { ConsoleController } from './console-controller.decorator';
import { escapeHtml } from './html';
import { sessionOf, type ConsoleRequest } from './console-request';
import { renderApplicationLive, renderApplicationPage, renderRuns } from './views/application.view';

const INSTANCE_PATH = z
  .string()
  .regex(/^(\/[^/\0]+)+$/, 'must be an instance path such as /vm/app');

const DESIRED_STATE_FORM = z.object({
  path: INSTANCE_PATH.optional(),
  state: z.enum(REQUESTABLE_STATES),
  scope: z.enum(['instance', 'subtree']).optional(),
});

const LOGS_QUERY = z.object({ path: INSTANCE_PATH });

const BIND_AGENT_FORM = z.object({ path: INSTANCE_PATH, agent: z.string().min(1) });

/** The event (`HX-Trigger`) that makes the page fetch its live part after a change SSE misses. */
const REFRESH_EVENT = 'refresh';

/** The form fields of an htmx request, without the CSRF field (sent as a header anyway). */
function formOf(body: unknown): Record<string, unknown> {
  const { _csrf: _token, ...form } = (body ?? {}) as Record<string, unknown>;
  return form;
}

/** A chunk of a running step's output. */
type StepOutputEvent = Extract<DeploymentEvent, { type: 'step.output' }>;

/** A filter for the output of one instance, sent by the agent it runs on. */
function isOutputOf(path: string, agent: string | null) {
  return (event: DeploymentEvent): event is StepOutputEvent =>
    event.type === 'step.output' && event.path === path && event.agent === agent;
}

/** The events that change what the application page shows. */
function concerns(application: string, event: DeploymentEvent): boolean {
  return (
    (event.type === 'instance.state' || event.type === 'command.finished') &&
    event.application === application
  );
}

/** One application: its live tree, lifecycle actions, recipe runs, and its SSE stream. */
@ConsoleController()
@Controller('console/applications/:name')
export class ConsoleApplicationController {
  constructor(
    private readonly views: ApplicationViewService,
    private readonly deployments: DeploymentsService,
    private readonly events: DeploymentEvents,
    private readonly instances: InstancesService,
    private readonly applications: ApplicationsService,
  ) {}

  @Get()
  async page(
    @Param('name') name: string,
    @Req() request: ConsoleRequest,
    @Res() response: Response,
  ): Promise<void> {
    const view = await this.views.load(name);
    response.type('html').send(renderApplicationPage(sessionOf(request), view));
  }

  @Get('live')
  async live(@Param('name') name: string, @Res() response: Response): Promise<void> {
    response.type('html').send(renderApplicationLive(await this.views.load(name)).value);
  }

  /** Accepted (202) without a body: the page follows the effect through SSE. */
  @Post('desired-state')
  async setDesiredState(
    @Param('name') name: string,
    @Body() body: unknown,
    @Req() request: ConsoleRequest,
    @Res() response: Response,
  ): Promise<void> {
    const target = parseRequest(DESIRED_STATE_FORM, formOf(body), 'body');
    const actor = operatorActor(sessionOf(request).operator);
    await this.deployments.setDesiredState(name, target, actor);
    response.status(HttpStatus.NO_CONTENT).end();
  }

  /** Binds an undeployed root instance to an accepted agent, then has the page refresh. */
  @Post('bind-agent')
  async bindAgent(
    @Param('name') name: string,
    @Body() body: unknown,
    @Req() request: ConsoleRequest,
    @Res() response: Response,
  ): Promise<void> {
    const { path, agent } = parseRequest(BIND_AGENT_FORM, formOf(body), 'body');
    await this.instances.bindAgent(name, path, agent, sessionOf(request).operator);
    response.status(HttpStatus.NO_CONTENT).setHeader('HX-Trigger', REFRESH_EVENT).end();
  }

  @Get('logs')
  async logs(
    @Param('name') name: string,
    @Query() query: unknown,
    @Res() response: Response,
  ): Promise<void> {
    const { path } = parseRequest(LOGS_QUERY, query, 'query');
    const [application, runs] = await Promise.all([
      this.applications.get(name),
      this.deployments.recentRuns(name, path),
    ]);
    response.type('html').send(renderRuns(application, path, runs).value);
  }

  /** `output` events: escaped chunks of the instance's running steps, from the agent it runs on. */
  @Sse('output')
  output(@Param('name') name: string, @Query() query: unknown): Observable<MessageEvent> {
    const { path } = parseRequest(LOGS_QUERY, query, 'query');
    return from(this.instances.list(name)).pipe(
      switchMap((instances) => {
        const agent = instances.find((instance) => instance.path === path)?.runsOn ?? null;
        return this.events.stream().pipe(
          filter(isOutputOf(path, agent)),
          map((event) => ({ type: 'output', data: escapeHtml(event.chunk) })),
        );
      }),
    );
  }

  /** `state` events (data: the instance path) tell the page to fetch its live part again. */
  @Sse('events')
  stream(@Param('name') name: string): Observable<MessageEvent> {
    return this.events.stream().pipe(
      filter((event) => concerns(name, event)),
      map((event) => ({ type: 'state', data: event.path })),
    );
  }
}
