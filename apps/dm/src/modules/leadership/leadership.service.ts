import { Inject, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import type { OnModuleDestroy } from '@nestjs/common';
import { Subject, type Observable } from 'rxjs';
import type { AdvisoryLockSession } from './advisory-lock-session';
import type { LeaderDuty, LeadershipRole } from './leader-duty';
import {
  LEADER_DUTIES,
  LEADERSHIP_CHECK_INTERVAL_MS,
  LEADERSHIP_LOCK,
} from './leadership.constants';

/** The session the service campaigns with (an AdvisoryLockSession; a fake in unit specs). */
export type LeadershipLock = Pick<
  AdvisoryLockSession,
  'tryAcquire' | 'probe' | 'release' | 'onLost'
>;

/**
 * Decides whether this DM replica leads. On PostgreSQL the leader is whoever holds a
 * session-level advisory lock on a dedicated connection: followers try to take it every
 * LEADERSHIP_CHECK_INTERVAL_MS, the leader checks it as often and steps down at once when its
 * session fails. On the embedded database (one process by construction) this replica always
 * leads. Electing starts every LeaderDuty; stepping down stops them, in reverse order.
 * `roleChanges()` emits the new role at each change.
 */
@Injectable()
export class LeadershipService implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(LeadershipService.name);
  private current: LeadershipRole = 'follower';
  private elections = 0;
  private timer?: NodeJS.Timeout;
  private checking?: Promise<void>;
  private transitions: Promise<void> = Promise.resolve();
  private readonly changes = new Subject<LeadershipRole>();

  /** `lock` is null on the embedded database: this replica is the only one. */
  constructor(
    @Inject(LEADERSHIP_LOCK) private readonly lock: LeadershipLock | null,
    @Inject(LEADER_DUTIES) private readonly duties: readonly LeaderDuty[],
  ) {
    lock?.onLost((reason) => this.stepDown(reason));
  }

  /** This replica's role now. */
  get role(): LeadershipRole {
    return this.current;
  }

  /** The roles this replica takes from now on, as it changes. */
  roleChanges(): Observable<LeadershipRole> {
    return this.changes.asObservable();
  }

  /** Resolves once every duty has been started or stopped to match the current role. */
  async whenSettled(): Promise<void> {
    await this.transitions;
  }

  /** How many times this replica was elected since it started. */
  get electionCount(): number {
    return this.elections;
  }

  /** Campaigns once before the DM serves (a lone DM leads from its first request), then keeps on. */
  async onApplicationBootstrap(): Promise<void> {
    if (this.lock === null) {
      this.elect('the embedded database has one process');
      await this.transitions;
      return;
    }
    await this.check();
    await this.transitions;
    this.timer = setInterval(() => void this.check(), LEADERSHIP_CHECK_INTERVAL_MS);
    this.timer.unref(); // never keeps a closing DM alive
  }

  /** Stops the duties, then ends the lock session so that another replica takes over at once. */
  async onModuleDestroy(): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
    await this.checking;
    this.stepDown('the DM is shutting down');
    await this.transitions;
    await this.lock?.release();
  }

  /** One campaign round: a follower tries to take the lock, the leader checks it still has it. */
  check(): Promise<void> {
    this.checking ??= this.campaign().finally(() => (this.checking = undefined));
    return this.checking;
  }

  private async campaign(): Promise<void> {
    const lock = this.lock;
    if (lock === null) {
      return;
    }
    try {
      if (this.current === 'leader') {
        await lock.probe();
      } else if (await lock.tryAcquire()) {
        this.elect('it holds the leadership lock');
      }
    } catch (error: unknown) {
      const reason = error instanceof Error ? error.message : String(error);
      if (this.current === 'leader') {
        this.stepDown(reason);
      } else {
        this.logger.debug({ reason }, 'Leadership lock not reachable; trying again');
      }
    }
  }

  private elect(reason: string): void {
    if (this.current === 'leader') {
      return;
    }
    this.current = 'leader';
    this.elections += 1;
    this.logger.log({ reason }, 'This DM replica leads: reconciling, dispatching, consuming');
    this.changes.next('leader');
    this.transition(async (duty) => duty.startLeading(), this.duties);
  }

  private stepDown(reason: string): void {
    if (this.current === 'follower') {
      return;
    }
    this.current = 'follower';
    this.logger.warn({ reason }, 'This DM replica stepped down: serving the API only');
    this.changes.next('follower');
    this.transition(async (duty) => duty.stopLeading(), [...this.duties].reverse());
  }

  /** Applies a change to every duty, after the previous change finished (never concurrently). */
  private transition(
    change: (duty: LeaderDuty) => Promise<void>,
    duties: readonly LeaderDuty[],
  ): void {
    this.transitions = this.transitions.then(async () => {
      for (const duty of duties) {
        await change(duty).catch((error: unknown) =>
          this.logger.error(
            { err: error, duty: duty.constructor.name },
            'A leader duty failed to change',
          ),
        );
      }
    });
  }
}
