import { INHERITED_ENVIRONMENT_ALLOWLIST } from '../recipes.constants';
import {
  REMOTE_BUNDLE_DIR_NAME,
  REMOTE_ENV_FILE_NAME,
  REMOTE_FW_FIFO_NAME,
  REMOTE_PGID_FILE_NAME,
  REMOTE_RELAY_PID_FILE_NAME,
} from './ssh.constants';

// The three scripts below are fixed text: no value from a recipe, a model or an operator is ever
// spliced into them. They receive the step directory and script path as arguments, and the
// step's variables through a sourced file of quoted assignments.

/**
 * The wrapper every remote step runs through (`exec sh run-step <dir> <script>`): it records its
 * process group (sshd starts each command in a new session, and `exec` keeps the pid), reduces
 * the environment to the allowlisted login variables plus the step's own, runs the script from
 * the uploaded bundle with the bundle as working directory, then stops the firewall relay and
 * removes the step directory itself (saving the proxy a round trip), exiting with the script's
 * status. When the group is killed (timeout) the proxy removes the directory instead.
 */
export const RUN_STEP_SCRIPT = `#!/bin/sh
dir=$1
script=$2
echo $$ > "$dir/${REMOTE_PGID_FILE_NAME}"
set --
for name in ${INHERITED_ENVIRONMENT_ALLOWLIST.join(' ')}; do
  if eval "[ -n \\"\\\${$name+set}\\" ]"; then
    eval "set -- \\"\\$@\\" \\"$name=\\\${$name}\\""
  fi
done
cd "$dir/${REMOTE_BUNDLE_DIR_NAME}" || exit 127
env -i "$@" /bin/sh -c '. "$1" && exec "$2"' run-step "$dir/${REMOTE_ENV_FILE_NAME}" "$dir/${REMOTE_BUNDLE_DIR_NAME}/$script"
status=$?
cd /
if [ -s "$dir/${REMOTE_RELAY_PID_FILE_NAME}" ]; then kill "$(cat "$dir/${REMOTE_RELAY_PID_FILE_NAME}")" 2>/dev/null; fi
rm -rf "$dir"
exit $status
`;

/**
 * The firewall relay (\`sh -c <this> fw-relay <dir>\`): creates the request FIFO, records its pid
 * (the wrapper stops it when the step ends), prints \`ready <pid>\`,
 * then passes each request line to the proxy (stdout) and the proxy's answer (stdin) back to the
 * FIFO the requesting helper waits on.
 */
export const FIREWALL_RELAY_SCRIPT = `#!/bin/sh
dir=$1
fifo="$dir/${REMOTE_FW_FIFO_NAME}"
mkfifo -m 600 "$fifo" || exit 1
exec 3<>"$fifo"
echo $$ > "$dir/${REMOTE_RELAY_PID_FILE_NAME}"
echo "ready $$"
while IFS= read -r request <&3; do
  pid=\${request##* }
  case $pid in ''|*[!0-9]*) continue ;; esac
  printf '%s\\n' "$request"
  IFS= read -r answer || exit 0
  printf '%s\\n' "$answer" > "$dir/ans.$pid"
done
`;

/**
 * The \`flotilla-fw\` helper of agentless steps, with the same usage and exit codes as the agent's:
 * it writes its request to the relay's FIFO ($FLOTILLA_FW_SOCKET) and exits 0 only when the
 * proxy answers that the rule is applied. POSIX sh only: the target needs no Node.
 */
export const REMOTE_FIREWALL_HELPER_SCRIPT = `#!/bin/sh
usage='usage: flotilla-fw open|close <port>/<tcp|udp>   (for example: flotilla-fw open 8080/tcp)'
fail() { printf 'flotilla-fw: %s\\n' "$1" >&2; exit "$2"; }
invalid() { fail "invalid port \\"$1\\": expected <port>/<protocol> with port 1-65535 and protocol tcp or udp
$usage" 2; }
case \${1:-} in open|close) ;; *) fail "unknown action \\"\${1:-}\\"
$usage" 2 ;; esac
[ $# -eq 2 ] || invalid "\${2:-}"
case $2 in [1-9]*/tcp|[1-9]*/udp) ;; *) invalid "$2" ;; esac
port=\${2%/*}
case $port in *[!0-9]*) invalid "$2" ;; esac
[ \${#port} -le 5 ] && [ "$port" -le 65535 ] || invalid "$2"
[ -p "\${FLOTILLA_FW_SOCKET:-}" ] || fail 'FLOTILLA_FW_SOCKET is not set: run me from a recipe step started by the Flotilla proxy' 1
answer="\${FLOTILLA_FW_SOCKET%/*}/ans.$$"
rm -f "$answer"
mkfifo -m 600 "$answer" || fail "cannot create $answer" 1
trap 'rm -f "$answer"' EXIT
printf '%s %s %s\\n' "$1" "$2" "$$" > "$FLOTILLA_FW_SOCKET"
IFS= read -r reply < "$answer"
case $reply in ok) exit 0 ;; *) fail "\${reply:-no answer from the proxy}" 1 ;; esac
`;
