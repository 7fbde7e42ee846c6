import { Body, Controller, Get, HttpStatus, Post, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { SESSION_COOKIE } from '../../dm.constants';
import { DmError } from '../../errors';
import { AuthService } from '../auth/auth.service';
import { CONSOLE_PATH } from './console.constants';
import { ConsoleController } from './console-controller.decorator';
import { renderLoginPage } from './views/login.view';

function field(body: unknown, name: string): string {
  const value =
    typeof body === 'object' && body !== null ? (body as Record<string, unknown>)[name] : '';
  return typeof value === 'string' ? value : '';
}

/** The console's entry: `/` redirects to it, login opens a session cookie. */
@ConsoleController({ isPublic: true })
@Controller()
export class ConsoleAuthController {
  constructor(private readonly auth: AuthService) {}

  @Get()
  root(@Res() response: Response): void {
    response.redirect(HttpStatus.FOUND, `${CONSOLE_PATH}/applications`);
  }

  @Get('console')
  home(@Res() response: Response): void {
    response.redirect(HttpStatus.FOUND, `${CONSOLE_PATH}/applications`);
  }

  @Get('console/login')
  loginPage(@Res() response: Response): void {
    response.type('html').send(renderLoginPage());
  }

  @Post('console/login')
  async login(@Body() body: unknown, @Req() request: Request, @Res() response: Response) {
    const username = field(body, 'username');
    try {
      const session = await this.auth.login(
        username,
        field(body, 'password'),
        request.ip ?? 'unknown',
      );
      response.cookie(SESSION_COOKIE, session.token, {
        httpOnly: true,
        sameSite: 'strict',
        secure: request.secure,
        path: '/',
        expires: session.expiresAt,
      });
      response.redirect(HttpStatus.SEE_OTHER, `${CONSOLE_PATH}/applications`);
    } catch (error: unknown) {
      if (!(error instanceof DmError)) {
        throw error;
      }
      const status = error.code === 'LOGIN_RATE_LIMITED' ? 429 : HttpStatus.UNAUTHORIZED;
      response.status(status).type('html').send(renderLoginPage(error.message, username));
    }
  }
}
