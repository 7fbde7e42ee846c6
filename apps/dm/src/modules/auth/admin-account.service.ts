import { randomBytes } from 'node:crypto';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Inject, Injectable } from '@nestjs/common';
import type { DmConfig } from '../../config/dm-config';
import { ADMIN_PASSWORD_FILE, ADMIN_USERNAME, DM_CONFIG, SYSTEM_ACTOR } from '../../dm.constants';
import { AuditService } from '../audit/audit.service';
import { OperatorsRepository } from './operators.repository';
import { PasswordHasher } from './password-hasher';

const GENERATED_PASSWORD_BYTES = 18;
const OWNER_ONLY = 0o600;

/** What the first start did about the admin account. */
export interface AdminAccountOutcome {
  readonly isCreated: boolean;
  /** Set only when a password was generated (and written to `passwordFile`). */
  readonly generatedPassword?: string;
  readonly passwordFile?: string;
}

/** Creates the first operator, `admin`, at the first start and only then. */
@Injectable()
export class AdminAccountService {
  constructor(
    @Inject(DM_CONFIG) private readonly config: DmConfig,
    private readonly operators: OperatorsRepository,
    private readonly hasher: PasswordHasher,
    private readonly audit: AuditService,
  ) {}

  /**
   * Creates `admin` with FLOTILLA_ADMIN_PASSWORD, or with a generated password written to
   * `<dataDir>/admin-password` (mode 0600), when no admin exists yet.
   */
  async ensureAdmin(): Promise<AdminAccountOutcome> {
    if (await this.operators.findByUsername(ADMIN_USERNAME)) {
      return { isCreated: false };
    }
    const generatedPassword = this.config.adminPassword
      ? undefined
      : randomBytes(GENERATED_PASSWORD_BYTES).toString('base64url');
    const password = this.config.adminPassword ?? generatedPassword!;
    const isCreated = await this.operators.createIfAbsent(
      ADMIN_USERNAME,
      await this.hasher.hash(password),
    );
    if (!isCreated) {
      return { isCreated: false }; // another DM on the same database created it first
    }
    await this.audit.record({
      actor: SYSTEM_ACTOR,
      action: 'operator.create',
      target: `operator:${ADMIN_USERNAME}`,
      details: { passwordSource: generatedPassword ? 'generated' : 'FLOTILLA_ADMIN_PASSWORD' },
    });
    if (!generatedPassword) {
      return { isCreated };
    }
    const passwordFile = join(this.config.dataDir, ADMIN_PASSWORD_FILE);
    await mkdir(this.config.dataDir, { recursive: true, mode: 0o700 });
    // A file left by an earlier database is stale; `wx` then refuses to follow a planted link.
    await rm(passwordFile, { force: true });
    await writeFile(passwordFile, `${generatedPassword}\n`, { mode: OWNER_ONLY, flag: 'wx' });
    return { isCreated, generatedPassword, passwordFile };
  }
}
