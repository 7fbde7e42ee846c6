import { Controller, HttpStatus, Post, Req, Res } from '@nestjs/common';
import type { Response } from 'express';
import { SESSION_COOKIE } from '../../dm.constants';
import { AuthService } from '../auth/auth.service';
import { CONSOLE_PATH } from './console.constants';
import { ConsoleController } from './console-controller.decorator';
import { sessionOf, type ConsoleRequest } from './console-request';

/** Logout: ends the session (a CSRF-checked POST, so no other site can log an operator out). */
@ConsoleController()
@Controller('console/logout')
export class ConsoleLogoutController {
  constructor(private readonly auth: AuthService) {}

  @Post()
  async logout(@Req() request: ConsoleRequest, @Res() response: Response): Promise<void> {
    await this.auth.logout(sessionOf(request).operator, request.sessionSecret ?? '');
    response.clearCookie(SESSION_COOKIE, { path: '/' });
    response.redirect(HttpStatus.SEE_OTHER, `${CONSOLE_PATH}/login`);
  }
}
