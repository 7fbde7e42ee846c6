#!/usr/bin/env bash
# Applies Flotilla's broker definitions idempotently: vhost, users, permissions, policies.
# The topology itself (exchanges, queues, bindings) is declared by the code that uses it
# (libs/messaging), and documented in rabbitmq/README.md.
set -euo pipefail
VHOST=${FLOTILLA_AMQP_VHOST:-flotilla}
ctl() { rabbitmqctl -q "$@"; }

if [ "$(id -u)" != 0 ] && ! ctl list_vhosts >/dev/null 2>&1; then
  echo "[rabbitmq] cannot run rabbitmqctl: run as root to apply rabbitmq/ definitions" >&2
  exit 1
fi

ctl list_vhosts | grep -qx "$VHOST" || ctl add_vhost "$VHOST"

# The test/admin user (local only): owns the vhost, manages users through the management API.
ensure_user() {
  local user=$1 password=$2 tags=$3
  if ctl list_users | awk '{print $1}' | grep -qx "$user"; then
    ctl change_password "$user" "$password" >/dev/null
  else
    ctl add_user "$user" "$password" >/dev/null
  fi
  ctl set_user_tags "$user" $tags >/dev/null
}
ensure_user flotilla-admin "${FLOTILLA_AMQP_ADMIN_PASSWORD:-flotilla-admin}" administrator
ctl set_permissions -p "$VHOST" flotilla-admin '.*' '.*' '.*' >/dev/null
echo "[rabbitmq] vhost $VHOST and users applied"
