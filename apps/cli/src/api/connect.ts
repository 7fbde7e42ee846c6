import type { CliContext } from '../config/cli-context';
import { CredentialsStore } from './credentials-store';
import { DmClient } from './dm-client';

/** A client for the DM the operator logged in to (or FLOTILLA_URL/FLOTILLA_TOKEN name). */
export async function connectToDm(context: CliContext): Promise<DmClient> {
  const { url, token } = await new CredentialsStore(context.env).resolve();
  return new DmClient(url, token);
}
