import { Module } from '@nestjs/common';
import { LeadershipModule } from '../leadership/leadership.module';
import { HealthController } from './health.controller';

/** The health check. */
@Module({ imports: [LeadershipModule], controllers: [HealthController] })
export class HealthModule {}
