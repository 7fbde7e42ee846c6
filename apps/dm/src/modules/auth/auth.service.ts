import { Inject, Injectable } from '@nestjs/common';
import type { DmConfig } from '../../config/dm-config';
import { DM_CONFIG } from '../../dm.constants';
import { DmError } from '../../errors';
import { AuditService } from '../audit/audit.service';
import { AuthTokensRepository } from './auth-tokens.repository';
import { LoginRateLimiter } from './login-rate-limiter';
import { operatorActor, type Operator } from './operator';
import { OperatorsRepository } from './operators.repository';
import { PasswordHasher } from './password-hasher';
import { generateTokenSecret, hashSecret } from './token-secret';

const MS_PER_HOUR = 3_600_000;

/** A new session: the bearer secret (also the cookie value) and when it expires. */
export interface Session {
  readonly token: string;
  readonly expiresAt: Date;
  readonly operator: Operator;
}

/** Logs operators in and out, changes passwords and resolves bearer secrets to operators. */
@Injectable()
export class AuthService {
  private readonly limiter: LoginRateLimiter;

  constructor(
    @Inject(DM_CONFIG) private readonly config: DmConfig,
    private readonly operators: OperatorsRepository,
    private readonly tokens: AuthTokensRepository,
    private readonly hasher: PasswordHasher,
    private readonly audit: AuditService,
  ) {
    this.limiter = new LoginRateLimiter(config.auth.loginAttemptsPerMinute);
  }

  /**
   * Checks the credentials and opens a session.
   * @throws DmError LOGIN_RATE_LIMITED when the IP or the username tried too often.
   * @throws DmError UNAUTHENTICATED when the username or password is wrong (without saying which).
   */
  async login(username: string, password: string, ip: string): Promise<Session> {
    const verdict = this.limiter.attempt([`ip:${ip}`, `user:${username}`]);
    if (!verdict.allowed) {
      await this.audit.record({
        actor: `ip:${ip}`,
        action: 'auth.login.rate-limited',
        target: `operator:${username}`,
      });
      throw new DmError('LOGIN_RATE_LIMITED', 'Too many login attempts; try again later', {
        retryAfterSeconds: verdict.retryAfterSeconds,
      });
    }
    const record = await this.operators.findByUsername(username);
    const isValid = record !== null && (await this.hasher.verify(password, record.passwordHash));
    if (!record || !isValid) {
      await this.audit.record({
        actor: `ip:${ip}`,
        action: 'auth.login.failed',
        target: `operator:${username}`,
      });
      throw new DmError('UNAUTHENTICATED', 'Invalid username or password');
    }
    const operator = { id: record.id, username: record.username };
    await this.tokens.deleteExpired(new Date());
    const token = generateTokenSecret('session');
    const expiresAt = new Date(Date.now() + this.config.auth.sessionTtlHours * MS_PER_HOUR);
    await this.tokens.create({
      operatorId: operator.id,
      kind: 'session',
      tokenHash: hashSecret(token),
      label: null,
      expiresAt,
    });
    await this.audit.record({
      actor: operatorActor(operator),
      action: 'auth.login',
      details: { ip },
    });
    return { token, expiresAt, operator };
  }

  /** Ends the session (or revokes the API token) whose secret is given. */
  async logout(operator: Operator, token: string): Promise<void> {
    await this.tokens.delete(hashSecret(token));
    await this.audit.record({ actor: operatorActor(operator), action: 'auth.logout' });
  }

  /**
   * Changes the operator's password and ends all their sessions (API tokens stay).
   * @throws DmError UNAUTHENTICATED when the current password is wrong.
   */
  async changePassword(operator: Operator, current: string, next: string): Promise<void> {
    const record = await this.operators.findByUsername(operator.username);
    if (!record || !(await this.hasher.verify(current, record.passwordHash))) {
      await this.audit.record({
        actor: operatorActor(operator),
        action: 'auth.password.change-failed',
        target: `operator:${operator.username}`,
      });
      throw new DmError('UNAUTHENTICATED', 'The current password is wrong');
    }
    await this.operators.setPasswordHash(record.id, await this.hasher.hash(next));
    await this.tokens.deleteSessions(record.id);
    await this.audit.record({
      actor: operatorActor(operator),
      action: 'auth.password.change',
      target: `operator:${operator.username}`,
    });
  }

  /** The operator a session or API token belongs to, or null when it is unknown or expired. */
  async authenticate(token: string): Promise<Operator | null> {
    return this.tokens.findOperator(hashSecret(token), new Date());
  }
}
