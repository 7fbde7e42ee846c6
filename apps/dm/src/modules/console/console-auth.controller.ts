import { Body, Controller, Get, HttpStatus, Post, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { DmError } from '../../errors';
import { AuthService } from '../auth/auth.service';
import { setSessionCookie } from '../auth/session-cookie';
import { CONSOLE_PATH, CSRF_FIELD, LOGIN_CSRF_COOKIE } from './console.constants';
import { ConsoleCsrfError } from './console-csrf.error';
import { cookieOf, formField } from './console-request';
import { areTokensEqual, newLoginToken } from './csrf-token';
import { ConsoleController } from './console-controller.decorator';
import { renderLoginPage } from './views/login.view';

const LOGIN_PATH = `${CONSOLE_PATH}/login`;

/** Pairs a fresh login form with a cookie holding the same random token. */
function issueLoginToken(request: Request, response: Response): string {
  const token = newLoginToken();
  response.cookie(LOGIN_CSRF_COOKIE, token, {
    httpOnly: true,
    sameSite: 'strict',
    secure: request.secure,
    path: LOGIN_PATH,
  });
  return token;
}

/** The console's entry: `/` redirects to it, login (double-submit CSRF token) opens a session. */
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
  loginPage(@Req() request: Request, @Res() response: Response): void {
    response.type('html').send(renderLoginPage(issueLoginToken(request, response)));
  }

  @Post('console/login')
  async login(@Body() body: unknown, @Req() request: Request, @Res() response: Response) {
    const username = formField(body, 'username');
    if (!areTokensEqual(cookieOf(request, LOGIN_CSRF_COOKIE), formField(body, CSRF_FIELD))) {
      throw new ConsoleCsrfError(request.method, request.originalUrl);
    }
    try {
      const session = await this.auth.login(
        username,
        formField(body, 'password'),
        request.ip ?? 'unknown',
      );
      setSessionCookie(request, response, session);
      response.clearCookie(LOGIN_CSRF_COOKIE, { path: LOGIN_PATH });
      response.redirect(HttpStatus.SEE_OTHER, `${CONSOLE_PATH}/applications`);
    } catch (error: unknown) {
      if (!(error instanceof DmError)) {
        throw error;
      }
      const status = error.code === 'LOGIN_RATE_LIMITED' ? 429 : HttpStatus.UNAUTHORIZED;
      const page = renderLoginPage(issueLoginToken(request, response), error.message, username);
      response.status(status).type('html').send(page);
    }
  }
}
