import {
  AGENT_UNIT_NAME,
  DIRECT_STOP_TIMEOUT_SECONDS,
  LOG_TAIL_LINES,
} from './agent-install.constants';
import type { InstallLayout } from './install-layout';
import type { RemoteHost } from './remote-host';

/** How the agent runs on the host: as the systemd unit, or started directly (no systemd there). */
export type StartMode = 'systemd' | 'direct';

// $1 = unit file, $2 = unit name; stdin = the unit. Restart (not start): a reinstall runs the new code.
const SYSTEMD_SCRIPT = `set -e
cat > "$1.new"
mv "$1.new" "$1"
systemctl daemon-reload
systemctl enable "$2"
systemctl restart "$2"`;

// $1 = pid file, $2 = stop timeout (s). Stops an agent started directly before, if it still runs.
const DIRECT_STOP_SCRIPT = `pid=$(cat "$1" 2>/dev/null || true)
if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
  kill "$pid"
  i=0
  while kill -0 "$pid" 2>/dev/null; do
    i=$((i + 1))
    if [ "$i" -gt $(($2 * 10)) ]; then echo "the running agent (pid $pid) did not stop" >&2; exit 1; fi
    sleep 0.1
  done
fi
rm -f "$1"`;

// $1 = env file, $2 = node, $3 = launcher, $4 = data dir, $5 = pid file, $6 = log file.
// setsid detaches it from the SSH session; its pid is the agent's (each layer execs the next).
const DIRECT_START_SCRIPT = `set -e
cd "$4"
nohup setsid sh -c 'set -a; . "$1"; set +a; exec "$2" "$3"' flotilla-agent "$1" "$2" "$3" >> "$6" 2>&1 < /dev/null &
echo $! > "$5"
cat "$5"`;

/** Stops an agent started directly before (its pid file), then installs, enables and (re)starts the unit. */
export async function startWithSystemd(
  host: RemoteHost,
  layout: InstallLayout,
  unit: string,
): Promise<void> {
  await stopDirectAgent(host, layout);
  await host.runChecked(
    'Starting the systemd unit',
    SYSTEMD_SCRIPT,
    [layout.unitFile, AGENT_UNIT_NAME],
    unit,
  );
}

/** Stops an agent started directly before, then starts the new one detached; returns its pid. */
export async function startDirectly(
  host: RemoteHost,
  layout: InstallLayout,
  nodePath: string,
): Promise<number> {
  await stopDirectAgent(host, layout);
  const output = await host.runChecked('Starting the agent', DIRECT_START_SCRIPT, [
    layout.envFile,
    nodePath,
    layout.launcher,
    layout.dataDir,
    layout.pidFile,
    layout.logFile,
  ]);
  return Number(output.trim());
}

async function stopDirectAgent(host: RemoteHost, layout: InstallLayout): Promise<void> {
  await host.runChecked('Stopping the running agent', DIRECT_STOP_SCRIPT, [
    layout.pidFile,
    String(DIRECT_STOP_TIMEOUT_SECONDS),
  ]);
}

/** The last lines the agent logged, for an operator to see why it did not enroll. */
export async function agentLogTail(
  host: RemoteHost,
  layout: InstallLayout,
  mode: StartMode,
): Promise<string> {
  const lines = String(LOG_TAIL_LINES);
  const result =
    mode === 'systemd'
      ? await host.run('journalctl -u "$1" -n "$2" --no-pager', [AGENT_UNIT_NAME, lines])
      : await host.run('tail -n "$2" "$1"', [layout.logFile, lines]);
  return (result.stdout + result.stderr).trim();
}
