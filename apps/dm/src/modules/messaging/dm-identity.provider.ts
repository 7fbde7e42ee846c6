import { join } from 'node:path';
import type { FactoryProvider } from '@nestjs/common';
import { loadOrCreateIdentity, type Identity } from '@flotilla/messaging';
import type { DmConfig } from '../../config/dm-config';
import { DM_CONFIG } from '../../dm.constants';
import { DM_IDENTITY, DM_IDENTITY_DIRECTORY, DM_IDENTITY_NAME } from './messaging.constants';

/** Loads the DM's identity from `<dataDir>/identity`, creating it at first use. */
export function loadDmIdentity(dataDir: string): Promise<Identity> {
  return loadOrCreateIdentity({
    dataDir: join(dataDir, DM_IDENTITY_DIRECTORY),
    name: DM_IDENTITY_NAME,
  });
}

/** Provides the DM's identity, kept in `<dataDir>/identity` and created at first start. */
export const DM_IDENTITY_PROVIDER: FactoryProvider<Promise<Identity>> = {
  provide: DM_IDENTITY,
  inject: [DM_CONFIG],
  useFactory: (config: DmConfig) => loadDmIdentity(config.dataDir),
};
