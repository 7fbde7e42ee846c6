import { Body, Controller, Delete, Get, HttpCode, Param, Post } from '@nestjs/common';
import {
  ApiBody,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiTags,
} from '@nestjs/swagger';
import { parseRequest } from '../../common/parse-request';
import { ApiTokensService } from './api-tokens.service';
import { CurrentOperator } from './current-operator.decorator';
import {
  ApiTokenDto,
  ApiTokenSummaryDto,
  CREATE_TOKEN_SCHEMA,
  CreateTokenDto,
  TOKEN_ID_SCHEMA,
} from './dto/auth.dto';
import type { Operator } from './operator';

/** The caller's API tokens (for the CLI and scripts). */
@ApiTags('auth')
@Controller('auth/tokens')
export class ApiTokensController {
  constructor(private readonly tokens: ApiTokensService) {}

  @Post()
  @ApiBody({ type: CreateTokenDto })
  @ApiCreatedResponse({ type: ApiTokenDto })
  async create(@CurrentOperator() operator: Operator, @Body() body: unknown) {
    const { label } = parseRequest(CREATE_TOKEN_SCHEMA, body, 'body');
    const token = await this.tokens.create(operator, label);
    return Object.assign(new ApiTokenDto(), { ...token, createdAt: token.createdAt.toISOString() });
  }

  @Get()
  @ApiOkResponse({ type: [ApiTokenSummaryDto] })
  async list(@CurrentOperator() operator: Operator): Promise<ApiTokenSummaryDto[]> {
    return (await this.tokens.list(operator)).map((token) => ({
      ...token,
      createdAt: token.createdAt.toISOString(),
    }));
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiNoContentResponse({ description: 'Revoked' })
  @ApiNotFoundResponse({ description: 'The caller has no such token' })
  async revoke(@CurrentOperator() operator: Operator, @Param() params: unknown): Promise<void> {
    const { id } = parseRequest(TOKEN_ID_SCHEMA, params, 'path');
    await this.tokens.revoke(operator, id);
  }
}
