import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { z } from 'zod';
import { AgentDto } from './agent.dto';

/** The body of `POST /api/agents/preregistrations`: the thumbprint as 64 hex or `sha256:<hex>`. */
export const PREREGISTRATION_SCHEMA = z.object({
  name: z
    .string()
    .regex(/^[a-z0-9][a-z0-9-]{0,62}$/, 'must be a lowercase label of letters, digits and dashes'),
  thumbprint: z
    .string()
    .transform((text) => text.toLowerCase().replace(/^sha256:/, ''))
    .pipe(z.string().regex(/^[0-9a-f]{64}$/, 'must be 64 hex digits, optionally after sha256:')),
});

/** An agent to trust at its first enrollment: its name and the thumbprint of its certificate. */
export class PreregistrationDto {
  @ApiProperty({ example: 'web-1' }) name!: string;
  @ApiProperty({ example: `sha256:${'0'.repeat(64)}` }) thumbprint!: string;
}

/** What an installer writes into the agent's configuration to trust this DM. */
export class DmTrustDto {
  @ApiProperty({ description: "The DM certificate's thumbprint, 64 hex digits" })
  thumbprint!: string;
  @ApiPropertyOptional({ description: 'Prefix of the exchange and queue names, when set' })
  brokerNamespace?: string;
}

/** The answer to a pre-registration: what happened, the agent record and the DM to trust. */
export class PreregistrationResultDto {
  @ApiProperty({
    enum: ['registered', 'unchanged', 'accepted'],
    description:
      'registered: a new trusted agent; unchanged: it was already trusted with that thumbprint; accepted: it was pending with that thumbprint',
  })
  outcome!: string;
  @ApiProperty({ type: AgentDto }) agent!: AgentDto;
  @ApiProperty({ type: DmTrustDto }) dm!: DmTrustDto;
}
