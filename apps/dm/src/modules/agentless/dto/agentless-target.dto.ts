import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { agentlessTargetSchema } from '@flotilla/protocol';
import { z } from 'zod';
import { formatAgentlessTarget, type AgentlessTarget } from '../agentless-target';

const INSTANCE_PATH = z.string().regex(/^\/[^/]+$/, 'must be a root instance path such as /vm1');
const shape = agentlessTargetSchema.shape;

/** The body of `POST /api/applications/:name/agentless-targets`. */
export const DECLARE_AGENTLESS_SCHEMA = z.strictObject({
  path: INSTANCE_PATH,
  host: shape.host,
  port: shape.port.default(22),
  user: shape.user,
  hostKeyFingerprint: shape.hostKeyFingerprint,
  keyName: z
    .string()
    .regex(/^[A-Za-z0-9_.-]{1,128}$/, 'must be the file name of a key the proxy holds')
    .optional(),
  password: z.string().min(1).max(1024).optional(),
  useSudo: z.boolean().default(false),
  firewall: z.enum(['nft', 'nft-managed', 'none']).default('nft'),
  proxies: z.array(z.string().min(1).max(128)).max(32).default([]),
});

/** A validated declaration of an agentless root instance. */
export type DeclareAgentlessRequest = z.output<typeof DECLARE_AGENTLESS_SCHEMA>;

/** The query of `DELETE /api/applications/:name/agentless-targets`. */
export const AGENTLESS_PATH_SCHEMA = z.object({ path: INSTANCE_PATH });

/** An agentless root instance to declare. */
export class DeclareAgentlessDto {
  @ApiProperty({ example: '/vm1', description: 'An undeployed root instance bound to no agent' })
  path!: string;
  @ApiProperty({ example: '10.0.0.7' }) host!: string;
  @ApiPropertyOptional({ example: 22, default: 22 }) port?: number;
  @ApiProperty({ example: 'deploy' }) user!: string;
  @ApiProperty({ example: 'SHA256:Sk3YPFyMmbdtmyWqTaJwWAwR2mYtbRPCSvmHyZm+Ruk' })
  hostKeyFingerprint!: string;
  @ApiPropertyOptional({ description: "File name of the proxy's key; default its first key" })
  keyName?: string;
  @ApiPropertyOptional({
    description: 'Stored encrypted, sent encrypted to the proxy, never shown',
  })
  password?: string;
  @ApiPropertyOptional({ default: false }) useSudo?: boolean;
  @ApiPropertyOptional({ enum: ['nft', 'nft-managed', 'none'], default: 'nft' }) firewall?: string;
  @ApiPropertyOptional({ type: [String], description: 'Proxy agents, first choice first' })
  proxies?: string[];
}

/** An agentless root instance as the API shows it (never the password). */
export class AgentlessTargetDto {
  @ApiProperty({ example: '/vm1' }) path!: string;
  @ApiProperty({ example: 'deploy@10.0.0.7:22' }) target!: string;
  @ApiProperty() hostKeyFingerprint!: string;
  @ApiProperty({ enum: ['proxy-key', 'password'] }) credential!: string;
  @ApiPropertyOptional({ nullable: true, type: String }) keyName!: string | null;
  @ApiProperty() useSudo!: boolean;
  @ApiProperty({ enum: ['nft', 'nft-managed', 'none'] }) firewall!: string;
  @ApiProperty({ type: [String] }) proxies!: string[];
  @ApiPropertyOptional({ nullable: true, type: String, description: 'Proxy of the last step sent' })
  servingProxy!: string | null;

  static from(path: string, target: AgentlessTarget, servingProxy: string | null) {
    const dto = new AgentlessTargetDto();
    dto.path = path;
    dto.target = formatAgentlessTarget(target);
    dto.hostKeyFingerprint = target.hostKeyFingerprint;
    dto.credential = target.sealedPassword === null ? 'proxy-key' : 'password';
    dto.keyName = target.keyName;
    dto.useSudo = target.useSudo;
    dto.firewall =
      target.firewall.backend === 'none'
        ? 'none'
        : target.firewall.isManaged
          ? 'nft-managed'
          : 'nft';
    dto.proxies = [...target.proxies];
    dto.servingProxy = servingProxy;
    return dto;
  }
}
