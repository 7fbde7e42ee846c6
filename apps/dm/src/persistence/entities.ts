import { AgentEntity } from '../modules/agents/entities/agent.entity';
import { AgentlessTargetEntity } from '../modules/agentless/entities/agentless-target.entity';
import { EnrollmentTokenUseEntity } from '../modules/agents/entities/enrollment-token-use.entity';
import { ApplicationEntity } from '../modules/applications/entities/application.entity';
import { InstanceEntity } from '../modules/applications/entities/instance.entity';
import { AuditEntryEntity } from '../modules/audit/entities/audit-entry.entity';
import { AuthTokenEntity } from '../modules/auth/entities/auth-token.entity';
import { OperatorEntity } from '../modules/auth/entities/operator.entity';
import { CommandEntity } from '../modules/deployments/entities/command.entity';
import { InstanceRuntimeEntity } from '../modules/deployments/entities/instance-runtime.entity';
import { AgentCredentialEntity } from '../modules/messaging/entities/agent-credential.entity';
import { TemplateEntity } from '../modules/templates/entities/template.entity';
import { ReplayEntryEntity } from '../modules/trust/entities/replay-entry.entity';

/** Every TypeORM entity of the DM, for the DataSource and the migration check. */
export const DM_ENTITIES = [
  OperatorEntity,
  AuthTokenEntity,
  AgentEntity,
  EnrollmentTokenUseEntity,
  AuditEntryEntity,
  TemplateEntity,
  ApplicationEntity,
  InstanceEntity,
  CommandEntity,
  ReplayEntryEntity,
  AgentCredentialEntity,
  InstanceRuntimeEntity,
  AgentlessTargetEntity,
];
