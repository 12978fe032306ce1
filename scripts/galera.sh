#!/usr/bin/env bash
# A 3-node MariaDB Galera cluster on loopback, for the cluster tests (model-core/tests/galera_*.rs)
# and for trying the migration lock on a cluster by hand. Debian's mariadb-server and galera-4.
#
#   scripts/galera.sh start [N]     start the cluster (or only node N); nodes already running are left
#                                   alone. When no node runs, the cluster is made anew: fresh datadirs,
#                                   node 1 bootstraps it, nodes 2 and 3 join with a state transfer.
#   scripts/galera.sh stop [N]      stop the cluster (or only node N), cleanly.
#   scripts/galera.sh status        each node: up or down, its cluster size and state; exit 1 if one is down.
#   scripts/galera.sh urls          the nodes' URLs, comma-separated (MODEL_TEST_GALERA_URLS).
#
# Node N (1..3) listens on 127.0.0.1:$((PORT_BASE + N - 1)) for clients (default 4306..4308), and uses
# the group port 4567 + 10 (N - 1), the IST port one above it and the state transfer (SST) port
# 4444 + 10 (N - 1). Everything lives under $MODEL_GALERA_DIR (default /var/tmp/model-galera): one
# folder per node with its my.cnf, datadir, socket and error log. The main MariaDB (3306) is not touched.
#
# What the set-up has to get right: a world-writable my.cnf is ignored by the server (so the files are
# 0644); each server runs as the `mysql` user, and so do the state transfer's rsync sender and
# receiver, so every datadir belongs to `mysql` (a joiner's rsync receiver cannot write a datadir
# only root may write).
set -euo pipefail

dir="${MODEL_GALERA_DIR:-/var/tmp/model-galera}"
port_base="${MODEL_GALERA_PORT_BASE:-4306}"
provider="${MODEL_GALERA_PROVIDER:-/usr/lib/galera/libgalera_smm.so}"
nodes=(1 2 3)

port() { echo $((port_base + $1 - 1)); }
group_port() { echo $((4567 + 10 * ($1 - 1))); }
sst_port() { echo $((4444 + 10 * ($1 - 1))); }
node_dir() { echo "$dir/node$1"; }
sock() { echo "$(node_dir "$1")/mysqld.sock"; }

# `mariadb-admin` on node N's socket.
admin() {
  local n="$1"
  shift
  mariadb-admin --no-defaults -S "$(sock "$n")" -u root "$@"
}

# Run SQL on node N (no header, tab-separated).
sql() {
  mariadb --no-defaults -S "$(sock "$1")" -u root -N -B -e "$2"
}

running() { admin "$1" ping >/dev/null 2>&1; }

# The wsrep state of node N: "<cluster size> <local state comment>", or nothing.
state() {
  sql "$1" "SELECT (SELECT VARIABLE_VALUE FROM information_schema.GLOBAL_STATUS WHERE VARIABLE_NAME = 'WSREP_CLUSTER_SIZE'), (SELECT VARIABLE_VALUE FROM information_schema.GLOBAL_STATUS WHERE VARIABLE_NAME = 'WSREP_LOCAL_STATE_COMMENT')" 2>/dev/null | tr '\t' ' '
}

ensure_packages() {
  local missing=()
  for pkg in mariadb-server galera-4 rsync; do
    dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg")
  done
  if [ ${#missing[@]} -gt 0 ]; then
    echo "installing ${missing[*]}"
    apt-get update -qq
    # the package's post-install must not start (or restart) the main server: policy-rc.d says no
    local policy=/usr/sbin/policy-rc.d had_policy=0
    [ -e "$policy" ] && had_policy=1
    [ "$had_policy" = 1 ] || { printf '#!/bin/sh\nexit 101\n' >"$policy"; chmod 755 "$policy"; }
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
    [ "$had_policy" = 1 ] || rm -f "$policy"
  fi
}

write_config() {
  local n="$1" d
  d="$(node_dir "$n")"
  local members=()
  for m in "${nodes[@]}"; do members+=("127.0.0.1:$(group_port "$m")"); done
  local cluster
  cluster="$(IFS=,; echo "${members[*]}")"
  umask 022
  cat >"$d/my.cnf" <<EOF
# node $n of the test cluster (written by scripts/galera.sh)
[mysqld]
user = mysql
datadir = $d/data
socket = $d/mysqld.sock
pid-file = $d/mysqld.pid
log-error = $d/error.log
port = $(port "$n")
bind-address = 127.0.0.1
skip-name-resolve
# small: three servers share the machine with the rest
innodb_buffer_pool_size = 48M
innodb_log_file_size = 32M
innodb_flush_log_at_trx_commit = 2
performance_schema = OFF
max_connections = 300
binlog_format = ROW
default_storage_engine = InnoDB
innodb_autoinc_lock_mode = 2
wsrep_on = ON
wsrep_provider = $provider
wsrep_cluster_name = model_test_galera
wsrep_cluster_address = gcomm://$cluster
wsrep_node_name = node$n
wsrep_node_address = 127.0.0.1:$(group_port "$n")
wsrep_provider_options = "gmcast.listen_addr=tcp://127.0.0.1:$(group_port "$n");ist.recv_addr=127.0.0.1:$(($(group_port "$n") + 1));gcache.size=32M"
wsrep_sst_method = rsync
wsrep_sst_receive_address = 127.0.0.1:$(sst_port "$n")
wsrep_slave_threads = 2

[sst]
# no compression, no progress: loopback
EOF
  chmod 0644 "$d/my.cnf"
}

# Make node N's folder, its config and (for a bootstrap node) a fresh datadir.
prepare() {
  local n="$1" fresh="$2" d
  d="$(node_dir "$n")"
  mkdir -p "$d"
  chmod 0755 "$dir" "$d"
  write_config "$n"
  if [ "$fresh" = 1 ]; then
    rm -rf "$d/data"
  fi
  mkdir -p "$d/data"
  chown -R mysql:mysql "$d"
  chmod 0750 "$d/data"
}

# Start node N in the background and wait until it is synced (or give up after $2 seconds).
launch() {
  local n="$1" wait="$2" extra="${3:-}" d
  d="$(node_dir "$n")"
  : >"$d/error.log"
  chown mysql:mysql "$d/error.log"
  # setsid: the server outlives this script and the caller's process group
  # shellcheck disable=SC2086
  setsid /usr/sbin/mariadbd --defaults-file="$d/my.cnf" $extra </dev/null >>"$d/stdout.log" 2>&1 &
  for _ in $(seq 1 "$wait"); do
    if running "$n" && [ "$(state "$n" | cut -d' ' -f2)" = "Synced" ]; then
      echo "node $n: up on 127.0.0.1:$(port "$n") ($(state "$n" | cut -d' ' -f1) node(s) in the cluster)"
      return 0
    fi
    sleep 1
  done
  echo "node $n did not come up within $wait s; its log ($d/error.log) ends with:" >&2
  tail -n 30 "$d/error.log" >&2 || true
  return 1
}

start() {
  ensure_packages
  mkdir -p "$dir"
  local wanted=("${@:-${nodes[@]}}") any=0
  for n in "${nodes[@]}"; do running "$n" && any=1; done
  if [ "$any" = 0 ]; then
    # a new cluster: node 1 bootstraps it from a fresh datadir, with the test database and a root
    # that logs in over TCP without a password (as on the main server)
    for n in "${nodes[@]}"; do prepare "$n" 1; done
    local d1
    d1="$(node_dir 1)"
    mariadb-install-db --no-defaults --user=mysql --datadir="$d1/data" \
      --auth-root-authentication-method=normal --skip-test-db >"$d1/install.log" 2>&1 || {
      cat "$d1/install.log" >&2
      exit 1
    }
    launch 1 60 --wsrep-new-cluster
    sql 1 "CREATE DATABASE IF NOT EXISTS test; CREATE USER IF NOT EXISTS 'root'@'127.0.0.1'; GRANT ALL ON *.* TO 'root'@'127.0.0.1' WITH GRANT OPTION"
  fi
  for n in "${wanted[@]}"; do
    if running "$n"; then
      [ "$any" = 1 ] && echo "node $n: already running"
      continue
    fi
    # a joiner: its datadir comes from a donor by state transfer (IST when its own is recent)
    prepare "$n" 0
    rm -f "$(node_dir "$n")/data/grastate.dat.lock"
    launch "$n" 180
  done
}

stop() {
  local wanted=("${@:-${nodes[@]}}")
  # the last node to go is node 1 (the order does not matter for a fresh start, which re-creates all)
  for ((i = ${#wanted[@]} - 1; i >= 0; i--)); do
    local n="${wanted[$i]}"
    if running "$n"; then
      admin "$n" shutdown || true
      for _ in $(seq 1 60); do running "$n" || break; sleep 1; done
      echo "node $n: stopped"
    else
      echo "node $n: not running"
    fi
  done
}

status() {
  local down=0
  for n in "${nodes[@]}"; do
    if running "$n"; then
      read -r size comment <<<"$(state "$n")"
      echo "node $n: up on 127.0.0.1:$(port "$n"), cluster size ${size:-?}, ${comment:-?}"
    else
      echo "node $n: down"
      down=1
    fi
  done
  return "$down"
}

urls() {
  local out=()
  for n in "${nodes[@]}"; do out+=("mysql://root@127.0.0.1:$(port "$n")/test"); done
  (IFS=,; echo "${out[*]}")
}

case "${1:-}" in
  start) shift; start "$@" ;;
  stop) shift; stop "$@" ;;
  status) status ;;
  urls) urls ;;
  *)
    sed -n '2,14p' "$0" | sed 's/^# \{0,1\}//'
    exit 2
    ;;
esac
