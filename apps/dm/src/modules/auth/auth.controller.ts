import { Body, Controller, HttpCode, Post, Req, Res } from '@nestjs/common';
import { ApiBody, ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { parseRequest } from '../../common/parse-request';
import { SESSION_COOKIE } from '../../dm.constants';
import { AuthService } from './auth.service';
import type { AuthenticatedRequest } from './authenticated-request';
import { CurrentOperator } from './current-operator.decorator';
import {
  ApiTokenDto,
  CREATE_TOKEN_SCHEMA,
  CreateTokenDto,
  LOGIN_SCHEMA,
  LoginDto,
  SessionDto,
} from './dto/auth.dto';
import type { Operator } from './operator';
import { Public } from './public.decorator';

/** Login, logout and API tokens. */
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
    response.cookie(SESSION_COOKIE, session.token, {
      httpOnly: true,
      sameSite: 'strict',
      secure: request.secure,
      path: '/',
      expires: session.expiresAt,
    });
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

  @Post('tokens')
  @ApiBody({ type: CreateTokenDto })
  @ApiCreatedResponse({ type: ApiTokenDto })
  async createToken(
    @CurrentOperator() operator: Operator,
    @Body() body: unknown,
  ): Promise<ApiTokenDto> {
    const { label } = parseRequest(CREATE_TOKEN_SCHEMA, body, 'body');
    return this.auth.createApiToken(operator, label);
  }
}
