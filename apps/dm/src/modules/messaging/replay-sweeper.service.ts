import { Injectable, Logger, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { REPLAY_SWEEP_INTERVAL_MS } from './messaging.constants';
import { PgReplayCache } from './pg-replay-cache';

/** Deletes expired replay-cache rows once a minute so that the table stays small. */
@Injectable()
export class ReplaySweeperService implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger(ReplaySweeperService.name);
  private timer?: NodeJS.Timeout;

  constructor(private readonly replayCache: PgReplayCache) {}

  onModuleInit(): void {
    this.timer = setInterval(() => {
      this.replayCache.sweep().catch((error: unknown) => {
        this.logger.error({ err: error }, 'Could not sweep the replay cache');
      });
    }, REPLAY_SWEEP_INTERVAL_MS);
    this.timer.unref(); // never keeps a closing DM alive
  }

  onModuleDestroy(): void {
    clearInterval(this.timer);
  }
}
