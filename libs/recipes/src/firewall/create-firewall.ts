import type { Firewall, FirewallOptions } from './firewall';
import { IptablesFirewall } from './iptables-firewall';
import { NftFirewall } from './nft-firewall';
import { NoFirewall } from './no-firewall';

/** The firewall backends an agent can be configured with. */
export type FirewallBackendName = 'nft' | 'iptables' | 'none';

/** Every backend name, for config validation. */
export const FIREWALL_BACKEND_NAMES: readonly FirewallBackendName[] = ['nft', 'iptables', 'none'];

/** Creates the firewall for a configured backend name. */
export function createFirewall(backend: FirewallBackendName, options: FirewallOptions): Firewall {
  switch (backend) {
    case 'nft':
      return new NftFirewall(options);
    case 'iptables':
      return new IptablesFirewall(options);
    case 'none':
      return new NoFirewall(options);
  }
}
