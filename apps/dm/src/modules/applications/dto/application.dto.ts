import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { INSTANCE_STATES, REQUESTABLE_STATES } from '@flotilla/model';
import { z } from 'zod';
import type { Application } from '../application';
import type { InstanceView } from '../instances.service';

const NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;
const NAME_RULE = 'must start with a letter or digit, then letters, digits, ".", "_" or "-"';

/** The body of `POST /api/applications`. */
export const CREATE_APPLICATION_SCHEMA = z.object({
  name: z.string().regex(NAME, NAME_RULE),
  template: z.string().min(1).max(128),
  templateVersion: z.string().max(64).optional(),
});

/** The body of `POST /api/applications/:name/instances/bind-agent`. */
export const BIND_AGENT_SCHEMA = z.object({
  path: z.string().regex(/^(\/[^/]+)+$/, 'must be an instance path such as /vm1'),
  agent: z.string().min(1).max(128),
});

/** Most bindings one `bind-agents` call takes (its transaction locks each instance). */
export const BIND_AGENTS_MAX = 1_000;

/** The body of `POST /api/applications/:name/instances/bind-agents`: many bindings at once. */
export const BIND_AGENTS_SCHEMA = z.object({
  bindings: z.array(BIND_AGENT_SCHEMA).min(1).max(BIND_AGENTS_MAX),
});

/** The body of `POST /api/applications/:name/instances`. */
export const ADD_INSTANCE_SCHEMA = z.object({
  parentPath: z
    .string()
    .regex(/^(\/[^/]+)+$/, 'must be an instance path such as /vm1')
    .optional(),
  name: z.string().min(1).max(128),
  component: z.string().min(1).max(128),
  agent: z.string().min(1).max(128).optional(),
});

/** The query of `DELETE /api/applications/:name/instances`. */
export const REMOVE_INSTANCE_SCHEMA = z.object({
  path: z.string().regex(/^(\/[^/]+)+$/, 'must be an instance path such as /vm1'),
});

/** An instance to add at runtime. */
export class AddInstanceDto {
  @ApiPropertyOptional({ example: '/vm1', description: 'Absent for a new root instance' })
  parentPath?: string;
  @ApiProperty({ example: 'tomcat-2' }) name!: string;
  @ApiProperty({ example: 'Tomcat' }) component!: string;
  @ApiPropertyOptional({ description: 'The agent of a new root instance' }) agent?: string;
}

/** The body of `POST …/bindings` and the query of `DELETE …/bindings`. */
export const BINDING_SCHEMA = z.object({
  prefix: z.string().min(1).max(128),
  application: z.string().regex(NAME, NAME_RULE),
});

/** An application binding: external imports of `prefix` come from `application`. */
export class BindingDto {
  @ApiProperty({ example: 'Shop' }) prefix!: string;
  @ApiProperty({ example: 'shop-prod' }) application!: string;
}

/** What to create an application from. */
export class CreateApplicationDto {
  @ApiProperty({ example: 'shop' }) name!: string;
  @ApiProperty({ example: 'three-tier' }) template!: string;
  @ApiPropertyOptional({ description: 'Default: the newest stored version' })
  templateVersion?: string;
}

/** Which agent a root instance runs on. */
export class BindAgentDto {
  @ApiProperty({ example: '/vm1' }) path!: string;
  @ApiProperty({ example: 'web-1' }) agent!: string;
}

/** Many root instances bound to agents in one transaction. */
export class BindAgentsDto {
  @ApiProperty({ type: [BindAgentDto], maxItems: BIND_AGENTS_MAX }) bindings!: BindAgentDto[];
}

/** An application. */
export class ApplicationDto {
  @ApiProperty() name!: string;
  @ApiProperty() template!: string;
  @ApiProperty() templateVersion!: string;
  @ApiProperty({
    type: 'object',
    additionalProperties: { type: 'array', items: { type: 'string' } },
  })
  bindings!: Record<string, readonly string[]>;
  @ApiProperty() instanceCount!: number;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;

  static from(application: Application): ApplicationDto {
    return Object.assign(new ApplicationDto(), {
      name: application.name,
      template: application.templateName,
      templateVersion: application.templateVersion,
      bindings: application.bindings,
      instanceCount: application.instanceCount,
      createdAt: application.createdAt.toISOString(),
    });
  }
}

/** An instance; `state` is `unknown` while the agent it runs on is lost. */
export class InstanceDto {
  @ApiProperty({ example: '/vm1/tomcat' }) path!: string;
  @ApiProperty() name!: string;
  @ApiProperty() component!: string;
  @ApiPropertyOptional({ nullable: true, type: String }) parentPath!: string | null;
  @ApiProperty({ enum: REQUESTABLE_STATES }) desiredState!: string;
  @ApiProperty({ enum: INSTANCE_STATES }) actualState!: string;
  @ApiProperty({ enum: [...INSTANCE_STATES, 'unknown'] }) state!: string;
  @ApiPropertyOptional({ nullable: true, type: String, description: 'Set on root instances' })
  agent!: string | null;
  @ApiPropertyOptional({ nullable: true, type: String }) runsOn!: string | null;
  @ApiPropertyOptional({
    nullable: true,
    type: String,
    description: 'user@host:port when the root is agentless (reached over SSH by a proxy agent)',
  })
  agentless!: string | null;
  @ApiProperty({ type: 'object', additionalProperties: { type: 'string' } })
  exports!: Record<string, string>;
  @ApiPropertyOptional({ nullable: true, type: 'object', additionalProperties: true })
  lastFailure!: Record<string, unknown> | null;

  static from(instance: InstanceView): InstanceDto {
    return Object.assign(new InstanceDto(), {
      path: instance.path,
      name: instance.name,
      component: instance.component,
      parentPath: instance.parentPath,
      desiredState: instance.desiredState,
      actualState: instance.actualState,
      state: instance.isAgentLost ? 'unknown' : instance.actualState,
      agent: instance.agentName,
      runsOn: instance.runsOn,
      agentless: instance.agentless,
      exports: { ...instance.exports },
      lastFailure: instance.lastFailure ? { ...instance.lastFailure } : null,
    });
  }
}
