import { ApiProperty } from '@nestjs/swagger';
import { z } from 'zod';

/** The body of `POST /api/auth/login`. */
export const LOGIN_SCHEMA = z.object({
  username: z.string().min(1).max(64),
  password: z.string().min(1).max(1024),
});

/** The body of `POST /api/auth/tokens`. */
export const CREATE_TOKEN_SCHEMA = z.object({ label: z.string().trim().min(1).max(128) });

/** The body of `POST /api/auth/password`. */
export const CHANGE_PASSWORD_SCHEMA = z.object({
  currentPassword: z.string().min(1).max(1024),
  newPassword: z.string().min(12, 'must be at least 12 characters').max(1024),
});

/** The path parameter of `DELETE /api/auth/tokens/:id`. */
export const TOKEN_ID_SCHEMA = z.object({ id: z.uuid('must be a token id (a UUID)') });

/** Credentials to log in with. */
export class LoginDto {
  @ApiProperty({ example: 'admin' }) username!: string;
  @ApiProperty() password!: string;
}

/** A new session; the token is also set as the session cookie. */
export class SessionDto {
  @ApiProperty({ description: 'Usable as `Authorization: Bearer <token>`' }) token!: string;
  @ApiProperty({ format: 'date-time' }) expiresAt!: string;
  @ApiProperty() username!: string;
}

/** What an API token is for. */
export class CreateTokenDto {
  @ApiProperty({ example: 'ci pipeline' }) label!: string;
}

/** An API token, without its secret. */
export class ApiTokenSummaryDto {
  @ApiProperty() id!: string;
  @ApiProperty() label!: string;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
}

/** A new API token; its secret is shown only in this response. */
export class ApiTokenDto extends ApiTokenSummaryDto {
  @ApiProperty() token!: string;
}

/** A password change. */
export class ChangePasswordDto {
  @ApiProperty() currentPassword!: string;
  @ApiProperty({ minLength: 12 }) newPassword!: string;
}

/** Who the caller is. */
export class OperatorDto {
  @ApiProperty() username!: string;
}
