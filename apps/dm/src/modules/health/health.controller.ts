import { Controller, Get, HttpStatus, Res } from '@nestjs/common';
import { ApiOkResponse, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { DataSource } from 'typeorm';
import { Public } from '../auth/public.decorator';
import type { LeadershipRole } from '../leadership/leader-duty';
import { LeadershipService } from '../leadership/leadership.service';

/** The answer of the health check. */
export interface HealthReport {
  readonly status: 'ok' | 'error';
  readonly database: 'up' | 'down';
  /** Whether this replica leads (reconciles, dispatches, consumes) or only serves the API. */
  readonly role: LeadershipRole;
}

/** `GET /api/health`: whether the DM can reach its database, and whether this replica leads. */
@ApiTags('health')
@Controller('health')
export class HealthController {
  constructor(
    private readonly dataSource: DataSource,
    private readonly leadership: LeadershipService,
  ) {}

  @Public()
  @Get()
  @ApiOkResponse({ description: 'Every dependency answers' })
  @ApiServiceUnavailableResponse({ description: 'A dependency does not answer' })
  async check(@Res({ passthrough: true }) response: Response): Promise<HealthReport> {
    const isDatabaseUp = await this.isDatabaseUp();
    if (!isDatabaseUp) {
      response.status(HttpStatus.SERVICE_UNAVAILABLE);
    }
    return {
      status: isDatabaseUp ? 'ok' : 'error',
      database: isDatabaseUp ? 'up' : 'down',
      role: this.leadership.role,
    };
  }

  private async isDatabaseUp(): Promise<boolean> {
    if (!this.dataSource.isInitialized) {
      return false;
    }
    try {
      await this.dataSource.query('SELECT 1');
      return true;
    } catch {
      return false; // the report itself says "down"; the cause is the database's to log
    }
  }
}
