import { Body, Controller, Get, HttpCode, Post, Req, Res } from '@nestjs/common';
import { ApiBody, ApiNoContentResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { parseRequest } from '../../common/parse-request';
import { SESSION_COOKIE } from '../../dm.constants';
import { AuthService } from './auth.service';
import type { AuthenticatedRequest } from './authenticated-request';
import { CurrentOperator } from './current-operator.decorator';
import {
  CHANGE_PASSWORD_SCHEMA,
  ChangePasswordDto,
  LOGIN_SCHEMA,
  LoginDto,
  OperatorDto,
  SessionDto,
} from './dto/auth.dto';
import type { Operator } from './operator';
import { Public } from './public.decorator';
import { setSessionCookie } from './session-cookie';

/** Login, logout, who am I, password change. */
@ApiTags('auth')
@Controller('auth')
export class AuthController {
  constructor(private readonly auth: AuthService) {}

  @Public()
  @Post('login')
  @HttpCode(200)
  @ApiBody({ type: LoginDto })
  @ApiOkResponse({ type: SessionDto })
  async login(
    @Body() body: unknown,
    @Req() request: Request,
    @Res({ passthrough: true }) response: Response,
  ): Promise<SessionDto> {
    const { username, password } = parseRequest(LOGIN_SCHEMA, body, 'body');
    const session = await this.auth.login(username, password, request.ip ?? 'unknown');
    setSessionCookie(request, response, session);
    return {
      token: session.token,
      expiresAt: session.expiresAt.toISOString(),
      username: session.operator.username,
    };
  }

  @Post('logout')
  @HttpCode(204)
  async logout(
    @CurrentOperator() operator: Operator,
    @Req() request: AuthenticatedRequest,
    @Res({ passthrough: true }) response: Response,
  ): Promise<void> {
    await this.auth.logout(operator, request.authToken ?? '');
    response.clearCookie(SESSION_COOKIE, { path: '/' });
  }

  @Get('me')
  @ApiOkResponse({ type: OperatorDto })
  me(@CurrentOperator() operator: Operator): OperatorDto {
    return { username: operator.username };
  }

  @Post('password')
  @HttpCode(204)
  @ApiBody({ type: ChangePasswordDto })
  @ApiNoContentResponse({ description: 'Changed; every session of the operator is ended' })
  async changePassword(@CurrentOperator() operator: Operator, @Body() body: unknown) {
    const { currentPassword, newPassword } = parseRequest(CHANGE_PASSWORD_SCHEMA, body, 'body');
    await this.auth.changePassword(operator, currentPassword, newPassword);
  }
}
