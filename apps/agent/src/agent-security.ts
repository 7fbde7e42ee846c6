import { join } from 'node:path';
import {
  EnvelopeOpener,
  EnvelopeSealer,
  FileReplayCache,
  FileTrustStore,
  loadOrCreateIdentity,
  type Identity,
} from '@flotilla/messaging';
import { createFlotillaRegistry } from '@flotilla/protocol';

/** The agent's identity and the envelope machinery built on it, all kept in its data directory. */
export interface AgentSecurity {
  readonly identity: Identity;
  readonly trustStore: FileTrustStore;
  readonly sealer: EnvelopeSealer;
  readonly opener: EnvelopeOpener;
}

/** Loads (or creates on first start) the agent's identity, trust store and persisted replay cache. */
export async function loadAgentSecurity(dataDir: string, name: string): Promise<AgentSecurity> {
  const identity = await loadOrCreateIdentity({ dataDir, name });
  const registry = createFlotillaRegistry();
  const trustStore = new FileTrustStore(join(dataDir, 'trust.json'));
  const replayCache = new FileReplayCache({ path: join(dataDir, 'replay.log') });
  return {
    identity,
    trustStore,
    sealer: new EnvelopeSealer(identity, { policy: registry }),
    opener: new EnvelopeOpener(identity, trustStore, replayCache, registry),
  };
}
