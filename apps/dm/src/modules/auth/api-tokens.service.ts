import { Injectable } from '@nestjs/common';
import { DmError } from '../../errors';
import { AuditService } from '../audit/audit.service';
import { AuthTokensRepository, type ApiTokenRecord } from './auth-tokens.repository';
import { operatorActor, type Operator } from './operator';
import { generateTokenSecret, hashSecret } from './token-secret';

/** A new API token; its secret is shown only once. */
export interface ApiToken extends ApiTokenRecord {
  readonly token: string;
}

/** The operators' API tokens (for the CLI and scripts): issue, list, revoke. */
@Injectable()
export class ApiTokensService {
  constructor(
    private readonly tokens: AuthTokensRepository,
    private readonly audit: AuditService,
  ) {}

  /** Issues an API token that lives until revoked. */
  async create(operator: Operator, label: string): Promise<ApiToken> {
    const token = generateTokenSecret('api');
    const id = await this.tokens.create({
      operatorId: operator.id,
      kind: 'api',
      tokenHash: hashSecret(token),
      label,
      expiresAt: null,
    });
    await this.audit.record({
      actor: operatorActor(operator),
      action: 'auth.token.create',
      target: `token:${id}`,
      details: { label },
    });
    return { id, label, token, createdAt: new Date() };
  }

  /** The operator's API tokens, without their secrets. */
  async list(operator: Operator): Promise<ApiTokenRecord[]> {
    return this.tokens.listApiTokens(operator.id);
  }

  /**
   * Revokes one of the operator's API tokens.
   * @throws DmError NOT_FOUND when the operator has no token with that id.
   */
  async revoke(operator: Operator, id: string): Promise<void> {
    if (!(await this.tokens.deleteApiToken(operator.id, id))) {
      throw new DmError('NOT_FOUND', `Operator ${operator.username} has no API token ${id}`, {
        token: id,
      });
    }
    await this.audit.record({
      actor: operatorActor(operator),
      action: 'auth.token.revoke',
      target: `token:${id}`,
    });
  }
}
