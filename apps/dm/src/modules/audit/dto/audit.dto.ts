import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { z } from 'zod';
import type { AuditEntry } from '../audit-entry';

/** The largest page of audit entries one request may ask for. */
const MAX_AUDIT_PAGE = 1000;

/** The query string of `GET /api/audit`. */
export const AUDIT_QUERY_SCHEMA = z.object({
  limit: z.coerce.number().int().min(1).max(MAX_AUDIT_PAGE).default(100),
  action: z.string().min(1).optional(),
  actor: z.string().min(1).optional(),
  target: z.string().min(1).optional(),
});

/** One audit entry as the API shows it. */
export class AuditEntryDto {
  @ApiProperty() id!: string;
  @ApiProperty({ format: 'date-time' }) at!: string;
  @ApiProperty({ example: 'operator:admin' }) actor!: string;
  @ApiProperty({ example: 'agent.accept' }) action!: string;
  @ApiPropertyOptional({ example: 'agent:web-1' }) target!: string;
  @ApiProperty({ type: 'object', additionalProperties: true }) details!: Record<string, unknown>;

  static from(entry: AuditEntry): AuditEntryDto {
    return Object.assign(new AuditEntryDto(), { ...entry, at: entry.at.toISOString() });
  }
}
