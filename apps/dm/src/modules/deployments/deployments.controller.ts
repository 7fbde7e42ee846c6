import {
  Body,
  Controller,
  Get,
  HttpCode,
  Param,
  Post,
  Sse,
  type MessageEvent,
} from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { REQUESTABLE_STATES } from '@flotilla/model';
import { map, type Observable } from 'rxjs';
import { z } from 'zod';
import { parseRequest } from '../../common/parse-request';
import { CurrentOperator } from '../auth/current-operator.decorator';
import { operatorActor, type Operator } from '../auth/operator';
import { DeploymentEvents } from './deployment-events';
import { BULK_ACTIONS, DeploymentsService, type StepRun } from './deployments.service';
import type { ReconcileOutcome } from './reconciler.service';

const DESIRED_STATE_BODY = z.strictObject({
  path: z
    .string()
    .regex(/^(\/[^/\0]+)+$/, 'must be an instance path such as /vm/app')
    .optional(),
  state: z.enum(REQUESTABLE_STATES),
  scope: z.enum(['instance', 'subtree']).optional(),
});

const BULK_ACTION = z.enum(Object.keys(BULK_ACTIONS) as [string, ...string[]]);

/** Orchestration: desired states, bulk actions, step logs, and the event stream. */
@ApiTags('deployments')
@Controller()
export class DeploymentsController {
  constructor(
    private readonly deployments: DeploymentsService,
    private readonly events: DeploymentEvents,
  ) {}

  @Post('applications/:app/instances/desired-state')
  @HttpCode(202)
  async setDesiredState(
    @Param('app') app: string,
    @Body() body: unknown,
    @CurrentOperator() operator: Operator,
  ): Promise<ReconcileOutcome> {
    const target = parseRequest(DESIRED_STATE_BODY, body, 'body');
    return this.deployments.setDesiredState(app, target, operatorActor(operator));
  }

  @Post('applications/:app/actions/:action')
  @HttpCode(202)
  async bulk(
    @Param('app') app: string,
    @Param('action') action: string,
    @CurrentOperator() operator: Operator,
  ): Promise<ReconcileOutcome> {
    const name = parseRequest(BULK_ACTION, action, 'action');
    const state = BULK_ACTIONS[name] ?? 'not_deployed';
    return this.deployments.setDesiredState(app, { state }, operatorActor(operator));
  }

  /** `:path` is the URL-encoded instance path (`%2Fvm%2Fapp`). */
  @Get('applications/:app/instances/:path/logs')
  async logs(@Param('app') app: string, @Param('path') path: string): Promise<StepRun[]> {
    return this.deployments.recentRuns(app, path.startsWith('/') ? path : `/${path}`);
  }

  @Sse('events')
  stream(): Observable<MessageEvent> {
    return this.events.stream().pipe(map((event) => ({ type: event.type, data: event })));
  }
}
