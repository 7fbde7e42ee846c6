import { hostname } from 'node:os';
import { Command } from 'commander';
import { CredentialsStore } from '../api/credentials-store';
import { DmClient } from '../api/dm-client';
import { DEFAULT_DM_URL, DEFAULT_USERNAME } from '../cli.constants';
import type { CliContext } from '../config/cli-context';
import { promptPassword, readPasswordFromStdin } from '../config/password-prompt';

interface LoginOptions {
  readonly url?: string;
  readonly username: string;
  readonly passwordStdin?: boolean;
}

interface SessionBody {
  readonly token: string;
  readonly username: string;
}

interface ApiTokenBody {
  readonly id: string;
  readonly token: string;
}

/**
 * Logs in with a password, trades the short session for a long-lived API token labelled with this
 * host, ends the session, and stores the URL and the token (0600).
 */
async function login(context: CliContext, options: LoginOptions): Promise<void> {
  const store = new CredentialsStore(context.env);
  const url = (options.url ?? context.env.FLOTILLA_URL ?? DEFAULT_DM_URL).replace(/\/+$/, '');
  const password =
    options.passwordStdin === true
      ? await readPasswordFromStdin(context)
      : await promptPassword(context, `Password for ${options.username} at ${url}: `);
  const anonymous = new DmClient(url);
  const session = await anonymous.request<SessionBody>('POST', '/api/auth/login', {
    json: { username: options.username, password },
  });
  const withSession = new DmClient(url, session.token);
  const apiToken = await withSession.request<ApiTokenBody>('POST', '/api/auth/tokens', {
    json: { label: `flotilla CLI on ${hostname()}` },
  });
  await withSession.request('POST', '/api/auth/logout');
  await store.write({
    url,
    token: apiToken.token,
    username: session.username,
    tokenId: apiToken.id,
  });
  context.stdout.write(
    `Logged in to ${url} as ${session.username} (token stored in ${store.path})\n`,
  );
}

/** Revokes the stored API token on the DM (when it still answers) and forgets it. */
async function logout(context: CliContext): Promise<void> {
  const store = new CredentialsStore(context.env);
  const stored = await store.read();
  if (stored === undefined) {
    context.stdout.write('Not logged in\n');
    return;
  }
  try {
    await new DmClient(stored.url, stored.token).request('POST', '/api/auth/logout');
  } catch (error: unknown) {
    context.stderr.write(
      `flotilla logout: the DM did not revoke the token (${error instanceof Error ? error.message : String(error)}); forgetting it anyway\n`,
    );
  }
  await store.remove();
  context.stdout.write(`Logged out of ${stored.url}\n`);
}

/** The `login` subcommand. */
export function loginCommand(context: CliContext): Command {
  return new Command('login')
    .description('Log in to a DM and store its URL and an API token in ~/.config/flotilla')
    .option('--url <url>', `DM URL (FLOTILLA_URL; default ${DEFAULT_DM_URL})`)
    .option('--username <name>', 'operator name', DEFAULT_USERNAME)
    .option('--password-stdin', 'read the password from stdin instead of prompting')
    .action((options: LoginOptions) => login(context, options));
}

/** The `logout` subcommand. */
export function logoutCommand(context: CliContext): Command {
  return new Command('logout')
    .description('Revoke the stored API token and remove the credentials file')
    .action(() => logout(context));
}
