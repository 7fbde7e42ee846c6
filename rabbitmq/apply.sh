#!/usr/bin/env bash
# Applies Flotilla's broker definitions idempotently (documented in rabbitmq/README.md): the vhost,
# the users of fixed roles and their permissions (regex and topic permissions), the exchanges and
# the queue policies. Queues are declared by the code that owns them (libs/messaging
# FlotillaTopology); per-agent users are created by the DM (provisionAgentBrokerUser).
set -euo pipefail
VHOST=${FLOTILLA_AMQP_VHOST:-flotilla}
ADMIN_PASSWORD=${FLOTILLA_AMQP_ADMIN_PASSWORD:-flotilla-admin}
DM_PASSWORD=${FLOTILLA_AMQP_DM_PASSWORD:-flotilla-dm}
ENROLL_PASSWORD=${FLOTILLA_AMQP_ENROLL_PASSWORD:-flotilla-enroll}
MANAGEMENT_URL=${FLOTILLA_AMQP_MANAGEMENT_URL:-http://127.0.0.1:15672}
# classic (one node) or quorum (a cluster, rabbitmq/CLUSTER.md): decides the overflow policy.
QUEUE_TYPE=${FLOTILLA_AMQP_QUEUE_TYPE:-classic}
# The node to configure (definitions are cluster-wide, so any running node of a cluster will do)
# and the rabbitmqctl to call (the Debian wrapper by default).
NODE=${FLOTILLA_RABBITMQ_NODE:-}
RABBITMQCTL=${FLOTILLA_RABBITMQCTL:-rabbitmqctl}
ctl() { "$RABBITMQCTL" -q ${NODE:+-n "$NODE"} "$@"; }

case "$QUEUE_TYPE" in
  classic | quorum) ;;
  *) echo "[rabbitmq] FLOTILLA_AMQP_QUEUE_TYPE must be classic or quorum, not: $QUEUE_TYPE" >&2; exit 1 ;;
esac

if [ "$(id -u)" != 0 ] && ! ctl list_vhosts >/dev/null 2>&1; then
  echo "[rabbitmq] cannot run rabbitmqctl: run as root to apply rabbitmq/ definitions" >&2
  exit 1
fi

ctl list_vhosts | grep -qx "$VHOST" || ctl add_vhost "$VHOST"

# One listing for every ensure_user: each rabbitmqctl call starts an Erlang VM (seconds on a busy
# machine).
USERS=$(ctl list_users | awk '{print $1}')
ensure_user() {
  local user=$1 password=$2 tags=$3
  if grep -qx "$user" <<<"$USERS"; then
    ctl change_password "$user" "$password" >/dev/null
  else
    ctl add_user "$user" "$password" >/dev/null
  fi
  # shellcheck disable=SC2086 # an empty tag list must expand to no argument
  ctl set_user_tags "$user" $tags >/dev/null
}

# The administrator (local and CI only): owns the vhost, provisions agent users through the
# management API on the DM's behalf in tests.
ensure_user flotilla-admin "$ADMIN_PASSWORD" administrator
ctl set_permissions -p "$VHOST" flotilla-admin '.*' '.*' '.*' >/dev/null

# The DM: declares and uses every flotilla.* resource; answers enrolments on the default exchange.
# It gets the management tag so it can provision agent users (provisionAgentBrokerUser) only when
# FLOTILLA_AMQP_DM_MANAGES_USERS=1; otherwise flotilla-admin provisions them.
DM_TAGS=""
[ "${FLOTILLA_AMQP_DM_MANAGES_USERS:-0}" = 1 ] && DM_TAGS=administrator
ensure_user flotilla-dm "$DM_PASSWORD" "$DM_TAGS"
ctl set_permissions -p "$VHOST" flotilla-dm '^flotilla\..*' '^(flotilla\..*|amq\.default)$' '^flotilla\..*' >/dev/null

# Enrolment (agents not yet accepted): may only publish enrolment requests; answers come over
# direct reply-to (amq.rabbitmq.reply-to), which needs no configure or read permission.
ensure_user flotilla-enroll "$ENROLL_PASSWORD" ""
ctl set_permissions -p "$VHOST" flotilla-enroll '^$' '^flotilla\.enroll$' '^$' >/dev/null
ctl set_topic_permissions -p "$VHOST" flotilla-enroll flotilla.enroll '^enroll\.request$' '^$' >/dev/null

# Exchanges (all durable topic exchanges: topic permissions only apply to topic exchanges).
api() {
  curl -fsS -u "flotilla-admin:$ADMIN_PASSWORD" -H 'content-type: application/json' -X "$1" \
    "$MANAGEMENT_URL$2" ${3:+--data "$3"} >/dev/null
}
if command -v curl >/dev/null 2>&1; then
  for exchange in flotilla.dm flotilla.agents flotilla.enroll flotilla.retry flotilla.dead; do
    api PUT "/api/exchanges/$VHOST/$exchange" '{"type":"topic","durable":true,"auto_delete":false}'
  done
else
  # The DM declares the same exchanges on every connection (FlotillaTopology.dmTopology).
  echo "[rabbitmq] curl not found: exchanges left to the DM to declare" >&2
fi

# Policies: bounded work queues whose overflow is refused to the publisher (nack) and, for classic
# queues, dead-lettered; quorum queues know only reject-publish, which their at-least-once
# dead-lettering also requires. Dead-letter queues keep a week of history, bounded too.
OVERFLOW=reject-publish-dlx
[ "$QUEUE_TYPE" = quorum ] && OVERFLOW=reject-publish
ctl set_policy -p "$VHOST" --apply-to queues --priority 10 flotilla-work-queues \
  '^flotilla\.(dm\.inbox|dm\.enroll|agent\.[a-z0-9-]+)$' \
  "{\"max-length\":100000,\"overflow\":\"$OVERFLOW\"}" >/dev/null
ctl set_policy -p "$VHOST" --apply-to queues --priority 5 flotilla-dead-letters \
  '^flotilla\..*\.dead$' '{"max-length":100000,"message-ttl":604800000}' >/dev/null

echo "[rabbitmq] vhost $VHOST, users, permissions, exchanges and $QUEUE_TYPE policies applied${NODE:+ on $NODE}"
