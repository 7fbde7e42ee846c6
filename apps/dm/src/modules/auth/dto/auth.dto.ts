import { ApiProperty } from '@nestjs/swagger';
import { z } from 'zod';

/** The body of `POST /api/auth/login`. */
export const LOGIN_SCHEMA = z.object({
  username: z.string().min(1).max(64),
  password: z.string().min(1).max(1024),
});

/** The body of `POST /api/auth/tokens`. */
export const CREATE_TOKEN_SCHEMA = z.object({ label: z.string().trim().min(1).max(128) });

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

/** A new API token; its secret is shown only in this response. */
export class ApiTokenDto {
  @ApiProperty() id!: string;
  @ApiProperty() token!: string;
  @ApiProperty() label!: string;
}
