import { Controller, Get, HttpStatus, Param, Post, Req, Res } from '@nestjs/common';
import type { Response } from 'express';
import type { AgentAction } from '../agents/agent-transitions';
import { AgentsService } from '../agents/agents.service';
import { CONSOLE_PATH } from './console.constants';
import { ConsoleController } from './console-controller.decorator';
import { sessionOf, type ConsoleRequest } from './console-request';
import { renderAgentsPage, renderRevokePage } from './views/agents.view';

/** The agents page and the operator's decisions (accept, reject, revoke after confirmation). */
@ConsoleController()
@Controller('console/agents')
export class ConsoleAgentsController {
  constructor(private readonly agents: AgentsService) {}

  @Get()
  async page(@Req() request: ConsoleRequest, @Res() response: Response): Promise<void> {
    response.type('html').send(renderAgentsPage(sessionOf(request), await this.agents.list()));
  }

  @Get(':name/revoke')
  async confirmRevoke(
    @Param('name') name: string,
    @Req() request: ConsoleRequest,
    @Res() response: Response,
  ): Promise<void> {
    response.type('html').send(renderRevokePage(sessionOf(request), await this.agents.get(name)));
  }

  @Post(':name/accept')
  accept(@Param('name') name: string, @Req() request: ConsoleRequest, @Res() response: Response) {
    return this.decide(name, 'accept', request, response);
  }

  @Post(':name/reject')
  reject(@Param('name') name: string, @Req() request: ConsoleRequest, @Res() response: Response) {
    return this.decide(name, 'reject', request, response);
  }

  @Post(':name/revoke')
  revoke(@Param('name') name: string, @Req() request: ConsoleRequest, @Res() response: Response) {
    return this.decide(name, 'revoke', request, response);
  }

  private async decide(
    name: string,
    action: AgentAction,
    request: ConsoleRequest,
    response: Response,
  ): Promise<void> {
    await this.agents.decide(name, action, sessionOf(request).operator);
    response.redirect(HttpStatus.SEE_OTHER, `${CONSOLE_PATH}/agents`);
  }
}
