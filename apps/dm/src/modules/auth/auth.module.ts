import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { AuditModule } from '../audit/audit.module';
import { AdminAccountService } from './admin-account.service';
import { ApiTokensController } from './api-tokens.controller';
import { ApiTokensService } from './api-tokens.service';
import { AuthController } from './auth.controller';
import { AuthGuard } from './auth.guard';
import { AuthService } from './auth.service';
import { AuthTokensRepository } from './auth-tokens.repository';
import { OperatorsRepository } from './operators.repository';
import { PasswordHasher } from './password-hasher';

/** Operators, sessions, API tokens and the global guard. */
@Module({
  imports: [AuditModule],
  controllers: [AuthController, ApiTokensController],
  providers: [
    PasswordHasher,
    OperatorsRepository,
    AuthTokensRepository,
    AuthService,
    ApiTokensService,
    AdminAccountService,
    { provide: APP_GUARD, useClass: AuthGuard },
  ],
  exports: [AuthService, AdminAccountService],
})
export class AuthModule {}
