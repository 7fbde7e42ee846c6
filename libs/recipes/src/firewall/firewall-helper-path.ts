import { resolve } from 'node:path';

/**
 * The absolute path of the `flotilla-fw` helper shipped in libs/recipes/bin; the same from the
 * TypeScript sources (src/firewall) and the build (dist/firewall).
 */
export function defaultFirewallHelperPath(): string {
  return resolve(__dirname, '..', '..', 'bin', 'flotilla-fw');
}
