import { Controller, Get, Req, Res } from '@nestjs/common';
import type { Response } from 'express';
import { AuditService } from '../audit/audit.service';
import { AUDIT_PAGE_SIZE } from './console.constants';
import { ConsoleController } from './console-controller.decorator';
import { sessionOf, type ConsoleRequest } from './console-request';
import { renderAuditPage } from './views/audit.view';

/** The audit log page. */
@ConsoleController()
@Controller('console/audit')
export class ConsoleAuditController {
  constructor(private readonly audit: AuditService) {}

  @Get()
  async page(@Req() request: ConsoleRequest, @Res() response: Response): Promise<void> {
    const entries = await this.audit.list({ limit: AUDIT_PAGE_SIZE });
    response.type('html').send(renderAuditPage(sessionOf(request), entries));
  }
}
