import { Module } from '@nestjs/common';
import { TransactionRunner } from '../../persistence/transaction-runner';
import { AuditModule } from '../audit/audit.module';
import { TemplatesController } from './templates.controller';
import { TemplatesRepository } from './templates.repository';
import { TemplatesService } from './templates.service';

/** Application templates. */
@Module({
  imports: [AuditModule],
  controllers: [TemplatesController],
  providers: [TemplatesRepository, TemplatesService, TransactionRunner],
  exports: [TemplatesRepository],
})
export class TemplatesModule {}
