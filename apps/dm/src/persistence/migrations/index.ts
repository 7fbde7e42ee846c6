import type { MigrationInterface } from 'typeorm';
import { InitialSchema1763900000000 } from './1763900000000-initial-schema';
import { BrokerSideAndReconciler1763990000000 } from './1763990000000-broker-side-and-reconciler';
import { AgentlessTargets1764100000000 } from './1764100000000-agentless-targets';
import { ApplicationRevisions1764200000000 } from './1764200000000-application-revisions';

/** The DM's migrations, oldest first; they run at every start (`migrationsRun`). */
export const DM_MIGRATIONS: Array<new () => MigrationInterface> = [
  InitialSchema1763900000000,
  BrokerSideAndReconciler1763990000000,
  AgentlessTargets1764100000000,
  ApplicationRevisions1764200000000,
];
