import { Controller, Get, Query } from '@nestjs/common';
import { ApiOkResponse, ApiQuery, ApiTags } from '@nestjs/swagger';
import { parseRequest } from '../../common/parse-request';
import { AuditService } from './audit.service';
import { AUDIT_QUERY_SCHEMA, AuditEntryDto } from './dto/audit.dto';

/** `GET /api/audit`: the audit log, newest first. */
@ApiTags('audit')
@Controller('audit')
export class AuditController {
  constructor(private readonly audit: AuditService) {}

  @Get()
  @ApiQuery({ name: 'limit', required: false, type: Number })
  @ApiQuery({ name: 'action', required: false })
  @ApiQuery({ name: 'actor', required: false })
  @ApiQuery({ name: 'target', required: false })
  @ApiOkResponse({ type: [AuditEntryDto] })
  async list(@Query() query: unknown): Promise<AuditEntryDto[]> {
    const entries = await this.audit.list(parseRequest(AUDIT_QUERY_SCHEMA, query, 'query'));
    return entries.map((entry) => AuditEntryDto.from(entry));
  }
}
