#!/usr/bin/env bash
# Makes the world the tests need: RabbitMQ on 127.0.0.1:5672 (with its management API on 15672),
# PostgreSQL on 127.0.0.1:5432, and the tools for network-namespace hosts and firewalls.
# Installs missing Debian packages when run as root, starts what is down, applies rabbitmq/ and the
# test database idempotently. A second run on a ready machine only checks and returns.
set -euo pipefail
cd "$(dirname "$0")/.."

log() { printf '[services] %s\n' "$*"; }
die() { printf '[services] error: %s\n' "$*" >&2; exit 1; }

RABBITMQ_OPEN_FILES=65536
PACKAGES=(rabbitmq-server postgresql nftables iptables iproute2 openssh-server procps)
COMMANDS=(rabbitmqctl pg_ctlcluster nft iptables ip sshd pkill)

port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

wait_port() {
  local port=$1 what=$2 i
  for i in $(seq 1 120); do port_open "$port" && return 0; sleep 0.5; done
  die "$what did not start listening on 127.0.0.1:$port within 60 s"
}

missing_commands() {
  local c missing=()
  for c in "${COMMANDS[@]}"; do command -v "$c" >/dev/null 2>&1 || [ -x "/usr/sbin/$c" ] || missing+=("$c"); done
  printf '%s\n' "${missing[@]:-}"
}

install_packages() {
  local missing
  missing=$(missing_commands | tr '\n' ' ' | xargs)
  [ -z "$missing" ] && return 0
  if [ "$(id -u)" != 0 ]; then
    die "missing: $missing. Run as root (npm test installs them), or install the Debian packages: sudo apt-get install -y ${PACKAGES[*]}"
  fi
  log "installing ${PACKAGES[*]} (missing: $missing)"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${PACKAGES[@]}" >/dev/null
}

# The console's browser tests drive Debian's chromium through playwright-core (no browser download).
install_chromium() {
  command -v chromium >/dev/null 2>&1 && return 0
  if [ "$(id -u)" != 0 ]; then
    die "chromium is missing (the web console's browser tests need it). Run as root (npm test installs it), or: sudo apt-get install -y chromium"
  fi
  log "installing chromium (for the web console's browser tests)"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends chromium >/dev/null
}

start_rabbitmq() {
  port_open 5672 && port_open 15672 && return 0
  [ "$(id -u)" = 0 ] || die "RabbitMQ is not answering on 127.0.0.1:5672 and only root can start it (sudo service rabbitmq-server start)"
  log "starting RabbitMQ"
  rabbitmq-plugins enable --offline rabbitmq_management >/dev/null
  if ! port_open 5672; then
    # Every agent holds its own connection: lift the 1024 descriptors a shell gives by default
    # (the broker keeps about 90% of them for sockets), so a thousand agents fit. su resets the
    # soft limit, so the node's own shell raises it, up to the hard limit it inherits.
    ulimit -Hn "$RABBITMQ_OPEN_FILES" 2>/dev/null || true
    # No init system in containers: start the node directly, as its own user.
    su rabbitmq -s /bin/sh -c 'ulimit -n "$(ulimit -Hn)"; cd /var/lib/rabbitmq && rabbitmq-server -detached' >/dev/null 2>&1 ||
      /etc/init.d/rabbitmq-server start >/dev/null
  fi
  rabbitmqctl -q wait --pid "$(pgrep -u rabbitmq -f 'beam.smp' | head -1)" --timeout 120 >/dev/null 2>&1 || true
  wait_port 5672 RabbitMQ
  wait_port 15672 "RabbitMQ management"
}

start_postgresql() {
  port_open 5432 && return 0
  [ "$(id -u)" = 0 ] || die "PostgreSQL is not answering on 127.0.0.1:5432 and only root can start it (sudo service postgresql start)"
  log "starting PostgreSQL"
  local version
  version=$(pg_lsclusters -h | awk 'NR==1 {print $1}')
  [ -n "$version" ] || die "no PostgreSQL cluster found (pg_lsclusters shows none)"
  pg_ctlcluster "$version" main start
  wait_port 5432 PostgreSQL
}

apply_postgresql() {
  [ "$(id -u)" = 0 ] || return 0
  su postgres -s /bin/sh -c "psql -qtAX -v ON_ERROR_STOP=1" <<'SQL' >/dev/null
SELECT 'CREATE ROLE flotilla LOGIN PASSWORD ''flotilla'' CREATEDB'
  WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'flotilla') \gexec
SELECT 'CREATE DATABASE flotilla_test OWNER flotilla'
  WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = 'flotilla_test') \gexec
SQL
}

install_packages
install_chromium
start_rabbitmq
start_postgresql
apply_postgresql
rabbitmq/apply.sh
log "ready: RabbitMQ 127.0.0.1:5672, PostgreSQL 127.0.0.1:5432"
