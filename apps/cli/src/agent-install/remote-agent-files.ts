import type { InstallLayout } from './install-layout';
import type { RemoteHost } from './remote-host';

// $1 = install dir. Unpacks next to the old copy, then swaps: a running agent keeps its open
// files, and a failed unpack leaves the installed agent untouched.
const UNPACK_SCRIPT = `set -e
dir=$1
mkdir -p "$(dirname "$dir")"
rm -rf "$dir.new" "$dir.old"
mkdir -m 755 "$dir.new"
tar -xzf - -C "$dir.new" --no-same-owner
if [ -d "$dir" ]; then mv "$dir" "$dir.old"; fi
mv "$dir.new" "$dir"
rm -rf "$dir.old"`;

// $1 = node, $2 = launcher, $3 = data dir, $4 = agent name. Creates the identity once (kept
// across reinstalls: the thumbprint the DM trusts stays valid) and prints its thumbprint.
const IDENTITY_SCRIPT = `set -e
umask 077
mkdir -p "$3"
FLOTILLA_DATA_DIR=$3 FLOTILLA_AGENT_NAME=$4 "$1" "$2" --print-thumbprint`;

// $1 = env file; stdin = its content. Written beside, then renamed: never half a file, always 0600.
const ENV_FILE_SCRIPT = `set -e
umask 077
mkdir -p "$(dirname "$1")"
cat > "$1.new"
chmod 600 "$1.new"
mv "$1.new" "$1"`;

/** Unpacks the agent package (a tar.gz on stdin) into the install directory, replacing any old one. */
export async function unpackAgent(
  host: RemoteHost,
  layout: InstallLayout,
  archive: Buffer,
): Promise<void> {
  await host.runChecked('Unpacking the agent', UNPACK_SCRIPT, [layout.installDir], archive);
}

/** Creates the agent's identity on the host (its private key never leaves it) and returns the thumbprint. */
export async function createRemoteIdentity(
  host: RemoteHost,
  layout: InstallLayout,
  nodePath: string,
  name: string,
): Promise<string> {
  const output = await host.runChecked('Creating the agent identity', IDENTITY_SCRIPT, [
    nodePath,
    layout.launcher,
    layout.dataDir,
    name,
  ]);
  return output.trim();
}

/** Writes the agent's settings file (0600, owned by the login or sudo user). */
export async function writeRemoteEnvFile(
  host: RemoteHost,
  layout: InstallLayout,
  content: string,
): Promise<void> {
  await host.runChecked('Writing the agent settings', ENV_FILE_SCRIPT, [layout.envFile], content);
}
