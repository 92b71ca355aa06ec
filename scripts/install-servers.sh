#!/usr/bin/env bash
# Installs (from Debian's packages) and starts what the tests need when a machine lacks it:
# PostgreSQL on 127.0.0.1:5432 (user postgres, trust), MariaDB on 127.0.0.1:3306 (root, empty
# password), NATS with JetStream on 127.0.0.1:4222 (the change-data-capture bus), kubectl (the k8s module renders the manifests with it), Chromium with its
# ChromeDriver (devstack's scorecard page test opens the page in a real headless browser), and
# galera-4 with rsync (Galera clusters of the tests' own).
# Servers already running are left as they are; the tests create their own databases. Needs root
# (apt-get).
set -euo pipefail

log() { printf '==> %s\n' "$*"; }
apt_install() {
  log "installing $*"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
}
wait_until() { # description, command
  for _ in $(seq 1 60); do
    if eval "$2" >/dev/null 2>&1; then return 0; fi
    sleep 1
  done
  echo "$1 did not become ready" >&2
  exit 1
}

ensure_postgres() {
  command -v pg_ctlcluster >/dev/null || apt_install postgresql postgresql-client
  if ! pg_isready -q -h 127.0.0.1 -p 5432; then
    log "starting PostgreSQL"
    pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | sort -V | tail -n 1)" main start || true
  fi
  wait_until "PostgreSQL" "pg_isready -q -h 127.0.0.1 -p 5432"
  if ! psql -h 127.0.0.1 -U postgres -w -Atc 'SELECT 1' >/dev/null 2>&1; then
    log "allowing trust auth for postgres on 127.0.0.1 (fresh install)"
    hba=$(su postgres -c "psql -Atc 'SHOW hba_file'")
    sed -i '1i host all postgres 127.0.0.1/32 trust' "$hba"
    su postgres -c "psql -Atc 'SELECT pg_reload_conf()'" >/dev/null
  fi
}

ensure_mariadb() {
  command -v mariadbd >/dev/null || [ -x /usr/sbin/mariadbd ] || apt_install mariadb-server mariadb-client
  if ! mariadb-admin -h 127.0.0.1 -uroot ping >/dev/null 2>&1 && ! mariadb-admin -uroot ping >/dev/null 2>&1; then
    log "starting MariaDB"
    mkdir -p /run/mysqld && chown mysql:mysql /run/mysqld
    start-stop-daemon --start --oknodo --background --exec /usr/sbin/mariadbd
  fi
  wait_until "MariaDB" "mariadb-admin -uroot ping"
  if ! mariadb -h 127.0.0.1 -uroot -e 'SELECT 1' >/dev/null 2>&1; then
    log "allowing root with an empty password over TCP (fresh install)"
    mariadb -uroot -e "ALTER USER root@localhost IDENTIFIED VIA unix_socket OR mysql_native_password USING PASSWORD('')"
  fi
}

ensure_nats() {
  command -v nats-server >/dev/null || [ -x /usr/sbin/nats-server ] || apt_install nats-server
  if ! (exec 3<>/dev/tcp/127.0.0.1/4222) 2>/dev/null; then
    log "starting NATS with JetStream"
    mkdir -p /var/lib/nats-server
    start-stop-daemon --start --oknodo --background --exec /usr/sbin/nats-server -- \
      -a 127.0.0.1 -p 4222 -js -sd /var/lib/nats-server -l /var/log/nats-server.log
  fi
  wait_until "NATS" "exec 3<>/dev/tcp/127.0.0.1/4222"
}

# Debian bookworm ships kubectl in kubernetes-client (kubectl 1.20, with kustomize v2.0.3); the
# kustomizations are written to render the same on it as on a current kubectl.
ensure_kubectl() {
  command -v kubectl >/dev/null || apt_install kubernetes-client
}

# Debian's chromium and chromium-driver are built from the same source, so their versions match.
ensure_chromium() {
  if ! command -v chromium >/dev/null || ! command -v chromedriver >/dev/null; then
    apt_install chromium chromium-driver
  fi
}

# Galera's provider and the rsync its state transfers use: state-service's multi-primary test and
# the fault scenario run MariaDB Galera clusters of their own.
ensure_galera() {
  if [ ! -e /usr/lib/galera/libgalera_smm.so ] || ! command -v rsync >/dev/null; then
    apt_install galera-4 rsync
  fi
}

ensure_postgres
ensure_mariadb
ensure_nats
ensure_kubectl
ensure_chromium
ensure_galera
log "PostgreSQL $(psql -h 127.0.0.1 -U postgres -Atc 'SHOW server_version'), MariaDB $(mariadb -h 127.0.0.1 -uroot -Ne 'SELECT VERSION()'), $(nats-server --version 2>/dev/null || /usr/sbin/nats-server --version), kubectl $(kubectl version --client --short 2>/dev/null || kubectl version --client 2>/dev/null | head -n 1), $(chromium --version 2>/dev/null)"
