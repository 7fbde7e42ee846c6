import type { MigrationInterface } from 'typeorm';
import { InitialSchema1763900000000 } from './1763900000000-initial-schema';

/** The DM's migrations, oldest first; they run at every start (`migrationsRun`). */
export const DM_MIGRATIONS: Array<new () => MigrationInterface> = [InitialSchema1763900000000];
