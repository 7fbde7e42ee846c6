import { Controller, Get, HttpStatus, Res } from '@nestjs/common';
import { ApiOkResponse, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { DataSource } from 'typeorm';
import { Public } from '../auth/public.decorator';

/** The answer of the health check. */
export interface HealthReport {
  readonly status: 'ok' | 'error';
  readonly database: 'up' | 'down';
}

/** `GET /api/health`: whether the DM can reach its database. */
@ApiTags('health')
@Controller('health')
export class HealthController {
  constructor(private readonly dataSource: DataSource) {}

  @Public()
  @Get()
  @ApiOkResponse({ description: 'Every dependency answers' })
  @ApiServiceUnavailableResponse({ description: 'A dependency does not answer' })
  async check(@Res({ passthrough: true }) response: Response): Promise<HealthReport> {
    const isDatabaseUp = await this.isDatabaseUp();
    if (!isDatabaseUp) {
      response.status(HttpStatus.SERVICE_UNAVAILABLE);
    }
    return { status: isDatabaseUp ? 'ok' : 'error', database: isDatabaseUp ? 'up' : 'down' };
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
