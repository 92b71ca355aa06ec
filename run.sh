#!/usr/bin/env bash
# The main job: builds the suite, starts a store, a trace backend (Zipkin) and the services,
# applies a benchmark of RMW-units and queries, plays a Gatling player simulation against the GLS,
# prints the summary and the slow-request report, and stops everything it started.
#
#   ./run.sh                      embedded PostgreSQL from Maven, nothing to install
#   ./run.sh --store=postgres     an existing PostgreSQL (GAMESTATE_DB_HOST/PORT/NAME, user postgres)
#   ./run.sh --store=mariadb      an existing MariaDB/MySQL (GAMESTATE_DB_HOST/PORT/NAME, user root)
#   ./run.sh --store=mariadb-local  a MariaDB server of its own from the installed binaries, with a row binlog
#                                 (devstack mariadb, port 13306): log capture works on it
#   ./run.sh --store=pg-replica   a PostgreSQL primary and a synchronous streaming standby of the installed
#                                 PostgreSQL (devstack pg-replica, ports 14432 and 14433): state-service writes
#                                 to the primary, query-service reads from the standby
#   ./run.sh --store=galera       a 3-node MariaDB Galera cluster of its own (devstack galera; needs root:
#                                 installs galera-4 and rsync when missing); the services on node 1
#   ./run.sh --faults             the fault scenario on a Galera cluster of its own (devstack faults): node killed,
#                                 paused, partitioned, a state-service killed, under load; ends in the checker.
#                                 With --scorecard, after the scorecard's stores
#   ./run.sh --keep-running       leave the suite up for exploration (Ctrl-C stops it)
#   ./run.sh --duration=30s       length of each benchmark phase
#   ./run.sh --users=200          Gatling players (joining over --ramp=20 seconds)
#   ./run.sh --simulation=ramp    the Gatling simulation: players (default, WebSocket sessions),
#                                 ramp (RMW throughput ramp over HTTP, GLS in immediate mode) or
#                                 hotcell (players crowding one node, GLS in immediate mode)
#   ./run.sh --quick              a short run for CI: 3 s phases, 20 players
#   ./run.sh --no-tracing         services with tracing off (to measure what tracing costs)
#   ./run.sh --watch-source=log   query-service's change streams from the store's own log (logical
#                                 decoding: the embedded store has wal_level=logical; a row binlog on
#                                 MariaDB) instead of polling the change log (poll, the default)
#   ./run.sh --tracing            the scorecard with tracing on (it runs without by default)
#   ./run.sh --scorecard          instead of the above: the PoC scorecard, every scenario on each store of
#                                 --stores=embedded,postgres,mariadb (default embedded), then its HTML and
#                                 Markdown pages in target/scorecard (devstack scorecard, scorecard-report);
#                                 --stores=...,pg-replica adds the replication scenario and the failover drill
#   ./run.sh --scenarios=a,b      the scorecard's scenarios (default: all of devstack scorecard's; with --quick,
#                                 pg-replica runs only replication and failover)
set -euo pipefail
cd "$(dirname "$0")"

store=embedded
keep=false
duration=15s
users=60
ramp=20
moves=20
tracing=true
tracing_asked=false
quick=false
simulation=players
scorecard=false
stores=embedded
scenarios=()
watch_source=poll
faults=false
for arg in "$@"; do
  case "$arg" in
    --store=*) store="${arg#*=}" ;;
    --keep-running) keep=true ;;
    --duration=*) duration="${arg#*=}" ;;
    --users=*) users="${arg#*=}" ;;
    --ramp=*) ramp="${arg#*=}" ;;
    --simulation=*) simulation="${arg#*=}" ;;
    --quick) duration=3s users=20 ramp=5 moves=10 quick=true ;;
    --no-tracing) tracing=false ;;
    --tracing) tracing_asked=true ;;
    --scorecard) scorecard=true ;;
    --stores=*) stores="${arg#*=}" ;;
    --scenarios=*) scenarios=("$arg") ;;
    --watch-source=*) watch_source="${arg#*=}" ;;
    --faults) faults=true ;;
    *) echo "unknown option $arg (see the header of $0)" >&2; exit 2 ;;
  esac
done

# The ramp's 15 ms bound and the hot cell's lock contention need every action sent alone
# (gls.mode=immediate): in tick mode an action waits up to one 50 ms tick and a tick's actions share one batch.
case "$simulation" in
  players) gls_options=() ;;
  ramp|hotcell) gls_options=(-Dgls.mode=immediate) ;;
  *) echo "--simulation must be players, ramp or hotcell" >&2; exit 2 ;;
esac

logs=target/run
mkdir -p "$logs"
pids=()
stop_all() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for _ in $(seq 1 30); do
    alive=false
    for pid in "${pids[@]}"; do kill -0 "$pid" 2>/dev/null && alive=true; done
    [ "$alive" = false ] && return 0
    sleep 1
  done
  for pid in "${pids[@]}"; do kill -9 "$pid" 2>/dev/null || true; done
}
trap stop_all EXIT

wait_for() { # name, check command, log file
  for _ in $(seq 1 120); do
    if eval "$2" >/dev/null 2>&1; then return 0; fi
    sleep 1
  done
  echo "$1 did not come up; last lines of $3:" >&2
  tail -n 30 "$3" >&2
  exit 1
}
port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

profile_of() { # store -> the services' build profile
  case "$1" in
    embedded|postgres|pg-replica) echo prod ;;
    mariadb|mariadb-local|galera) echo mysql ;;
    *) echo "a store must be embedded, postgres, mariadb, mariadb-local, pg-replica or galera, not $1" >&2; exit 2 ;;
  esac
}
# The jars this script runs. A build is reused when the tree has no local change, each jar is newer
# than every file git tracks, and state-service's and query-service's jars (the two the profile
# changes) say in their manifests that they were built with the profile asked for (Build-Profile,
# set in gamestate-store's config): so a run right after `./mvnw verify` runs verify's build.
apps=(state-service query-service gls-service devstack)
build_profile_of() { # jar -> the Build-Profile its manifest names (read with the JDK's jar tool)
  local jar=$PWD/$1 dir
  dir=$(mktemp -d)
  (cd "$dir" && jar xf "$jar" META-INF/MANIFEST.MF && tr -d '\r' <META-INF/MANIFEST.MF | sed -n 's/^Build-Profile: //p')
  rm -rf "$dir"
}
build_is_current() { # profile
  local app jar
  [ -z "$(git status --porcelain 2>/dev/null || echo unknown)" ] || return 1
  for app in "${apps[@]}"; do
    jar=$app/target/quarkus-app/quarkus-run.jar
    [ -f "$jar" ] && [ -z "$(git ls-files -z | xargs -0 -r sh -c 'find "$@" -newer "$0" -print -quit' "$jar")" ] || return 1
  done
  for app in state-service query-service; do
    [ "$(build_profile_of "$app/target/quarkus-app/quarkus-run.jar")" = "$1" ] || return 1
  done
}
build() { # profile
  if build_is_current "$1"; then
    echo "==> reusing the build of profile $1 (newer than every tracked file, no local change)"
    return 0
  fi
  echo "==> building (profile $1)"
  ./mvnw -B -q package -DskipTests -Dquarkus.profile="$1"
}

# query-service reads where state-service writes, except on pg-replica: there it reads the standby.
query_options=()
same_store="reads the same store here; a replica in production"
query_reads=$same_store
start_store() { # store; an embedded store or pg-replica starts empty in its data directory
  query_options=()
  query_reads=$same_store
  unset GAMESTATE_DB_STANDBYS
  if [ "$1" = pg-replica ]; then
    export GAMESTATE_DB_PORT=14432 GAMESTATE_DB_STANDBYS=127.0.0.1:14433
    echo "==> starting PostgreSQL primary on 127.0.0.1:$GAMESTATE_DB_PORT and synchronous standby on $GAMESTATE_DB_STANDBYS"
    java -jar devstack/target/quarkus-app/quarkus-run.jar pg-replica --sync --primary-port="$GAMESTATE_DB_PORT" \
      --standby-port="${GAMESTATE_DB_STANDBYS#*:}" --database="${GAMESTATE_DB_NAME:-gamestate}" \
      --data="${2:-target/pg-replica}" >"$logs/pg-replica.log" 2>&1 &
    pids+=($!)
    wait_for "pg-replica" "grep -q 'pg-replica ready' $logs/pg-replica.log" "$logs/pg-replica.log"
    query_options=(-Dgamestate.db.port="${GAMESTATE_DB_STANDBYS#*:}")
    query_reads="reads the standby 127.0.0.1:${GAMESTATE_DB_STANDBYS#*:}"
  elif [ "$1" = embedded ]; then
    export GAMESTATE_DB_PORT=15432
    echo "==> starting embedded PostgreSQL on 127.0.0.1:$GAMESTATE_DB_PORT"
    java -jar devstack/target/quarkus-app/quarkus-run.jar postgres --port="$GAMESTATE_DB_PORT" \
      --database="${GAMESTATE_DB_NAME:-gamestate}" --data="${2:-target/embedded-postgres}" >"$logs/postgres.log" 2>&1 &
    pids+=($!)
    wait_for "embedded PostgreSQL" "grep -q 'embedded PostgreSQL ready' $logs/postgres.log" "$logs/postgres.log"
  elif [ "$1" = mariadb-local ]; then
    export GAMESTATE_DB_PORT=13306
    echo "==> starting MariaDB of its own on 127.0.0.1:$GAMESTATE_DB_PORT (row binlog)"
    java -jar devstack/target/quarkus-app/quarkus-run.jar mariadb --port="$GAMESTATE_DB_PORT" \
      --database="${GAMESTATE_DB_NAME:-gamestate}" --data="${2:-target/mariadb-local}" >"$logs/mariadb.log" 2>&1 &
    pids+=($!)
    wait_for "MariaDB" "grep -q 'MariaDB ready' $logs/mariadb.log" "$logs/mariadb.log"
  elif [ "$1" = galera ]; then
    echo "==> starting a 3-node MariaDB Galera cluster (devstack galera; each node in its own network namespace)"
    java -jar devstack/target/quarkus-app/quarkus-run.jar galera --nodes=3 --database="${GAMESTATE_DB_NAME:-gamestate}" \
      >"$logs/galera.log" 2>&1 &
    pids+=($!)
    wait_for "Galera" "grep -q 'galera ready' $logs/galera.log" "$logs/galera.log"
    grep 'galera ready' "$logs/galera.log" | sed 's/^/    /'
    # The services on node 1 (the fault scenarios spread state-services over the nodes).
    GAMESTATE_DB_HOST=$(head -n 1 /tmp/gamestate-galera/nodes | cut -d: -f1)
    GAMESTATE_DB_PORT=$(head -n 1 /tmp/gamestate-galera/nodes | cut -d: -f2)
    export GAMESTATE_DB_HOST GAMESTATE_DB_PORT GAMESTATE_DB_MULTI_PRIMARY=true
  else
    restore_db_address
  fi
}

# An existing server is where GAMESTATE_DB_HOST and GAMESTATE_DB_PORT said, whatever store ran before it.
db_host_given=${GAMESTATE_DB_HOST-}
db_port_given=${GAMESTATE_DB_PORT-}
restore_db_address() {
  if [ -n "$db_host_given" ]; then export GAMESTATE_DB_HOST=$db_host_given; else unset GAMESTATE_DB_HOST; fi
  if [ -n "$db_port_given" ]; then export GAMESTATE_DB_PORT=$db_port_given; else unset GAMESTATE_DB_PORT; fi
  unset GAMESTATE_DB_MULTI_PRIMARY
}

run_faults() { # the fault scenario on a Galera cluster of its own, ending in the checker (exit 1 on a violation); [scorecard dir]
  profile=mysql
  build mysql
  fault_options=(${1:+"--scorecard-dir=$1"})
  if [ "$quick" = true ]; then
    fault_options+=(--faults=kill-node:2,partition-node:3 --hold=6s --recovery=8s --warmup=8s --players=300)
  fi
  echo "==> fault scenario on a 3-node Galera cluster (devstack faults; history and checker report in target/faults/galera)"
  java -jar devstack/target/quarkus-app/quarkus-run.jar faults --store=galera --nodes=3 ${fault_options[@]+"${fault_options[@]}"}
}

start_tracing() {
  export ZIPKIN_PORT=${ZIPKIN_PORT:-9411}
  if [ "$tracing" = true ]; then
    echo "==> starting Zipkin on 127.0.0.1:$ZIPKIN_PORT (trace UI)"
    # Zipkin takes its port from QUERY_PORT, which means query-service's port to the suite.
    # In-memory storage: the newest 200,000 spans (about 10,000 player actions) fit its heap.
    QUERY_PORT=$ZIPKIN_PORT MEM_MAX_SPANS=200000 java -Xmx1g -jar devstack/target/zipkin/zipkin-server.jar \
      >"$logs/zipkin.log" 2>&1 &
    pids+=($!)
    wait_for "Zipkin" "port_open $ZIPKIN_PORT" "$logs/zipkin.log"
    # Player requests arrive with a sampled traceparent and are always traced; the benchmark's
    # calls start their own traces and are sampled at 2 %, which keeps Zipkin's memory small.
    export GAMESTATE_TRACING_EXPORTER=zipkin GAMESTATE_ZIPKIN_ENDPOINT="http://127.0.0.1:$ZIPKIN_PORT/api/v2/spans" \
      GAMESTATE_TRACE_SAMPLE_RATIO=${GAMESTATE_TRACE_SAMPLE_RATIO:-0.02}
  else
    export QUARKUS_OTEL_SDK_DISABLED=true
  fi
}

start_service() { # module, port, what it serves, then any JVM options (-Dkey=value overrides any Quarkus property)
  echo "==> starting $1 on 127.0.0.1:$2 ($3)${4:+ with ${*:4}}"
  java -Dquarkus.profile="$profile" "${@:4}" -jar "$1/target/quarkus-app/quarkus-run.jar" >"$logs/$1.log" 2>&1 &
  pids+=($!)
  service_pid=$!
  wait_for "$1" "port_open $2 && grep -q 'started in' $logs/$1.log" "$logs/$1.log"
}
export STATE_PORT=${STATE_PORT:-9101} QUERY_PORT=${QUERY_PORT:-9102} GLS_PORT=${GLS_PORT:-9100} \
  STATE_HTTP_PORT=${STATE_HTTP_PORT:-9111} QUERY_HTTP_PORT=${QUERY_HTTP_PORT:-9112}
start_suite() { # GLS options; sets watched to --watch options of the three services
  start_service state-service "$STATE_PORT" "gRPC; health and metrics on $STATE_HTTP_PORT; creates the schema and the world"
  watched=(--watch "state-service=$service_pid")
  start_service query-service "$QUERY_PORT" "$query_reads" ${query_options[@]+"${query_options[@]}"} \
    "-Dgamestate.query.watch-source=$watch_source"
  watched+=(--watch "query-service=$service_pid")
  start_service gls-service "$GLS_PORT" "player HTTP API, WebSocket /ws, GameService gRPC" "$@"
  watched+=(--watch "gls-service=$service_pid")
}

if [ "$scorecard" = true ]; then
  # Each store in turn: a fresh database, the suite on it (tracing off unless asked, the GLS in
  # immediate mode: the hot cell and the ramp measure actions sent alone), every scenario.
  scorecard_options=()
  if [ "$quick" = true ]; then
    scorecard_options=(--duration=2s --warmup=1s --warmup-max=0s --initial-warmup=2s --transfer-players=2000 --mix-players=300
      --world-sizes=2000,10000 --hot-players=20 --gls-counts=1,2 --gls-players=40
      --ramp-levels=3 --ramp-level-seconds=3 --ramp-warmup-seconds=5 --failover-timeline=5s,2s,1s,6s,8s)
  fi
  [ "$tracing_asked" = true ] || tracing=false
  rm -rf target/scorecard
  for each in ${stores//,/ }; do
    profile=$(profile_of "$each")
    build "$profile"
    export GAMESTATE_DB_NAME=gamestate_scorecard
    case "$each" in
      embedded) start_store embedded target/scorecard-postgres ;;
      pg-replica) start_store pg-replica target/scorecard-pg-replica ;;
      postgres) start_store postgres
        psql -h "${GAMESTATE_DB_HOST:-127.0.0.1}" -p "${GAMESTATE_DB_PORT:-5432}" -U postgres -qc "DROP DATABASE IF EXISTS $GAMESTATE_DB_NAME" -c "CREATE DATABASE $GAMESTATE_DB_NAME" ;;
      mariadb) start_store mariadb
        mariadb -h "${GAMESTATE_DB_HOST:-127.0.0.1}" -P "${GAMESTATE_DB_PORT:-3306}" -uroot -e "DROP DATABASE IF EXISTS $GAMESTATE_DB_NAME; CREATE DATABASE $GAMESTATE_DB_NAME" ;;
      mariadb-local) start_store mariadb-local target/scorecard-mariadb-local ;;
      galera) start_store galera ;;
    esac
    store_scenarios=(${scenarios[@]+"${scenarios[@]}"})
    if [ "$each" = pg-replica ] && [ "$quick" = true ] && [ ${#store_scenarios[@]} -eq 0 ]; then
      # The short scorecard runs on pg-replica only what is particular to it: the other scenarios
      # take the same code paths as on the single PostgreSQL of embedded.
      store_scenarios=(--scenarios=replication,failover)
    fi
    start_tracing
    start_suite -Dgls.mode=immediate
    java -jar devstack/target/quarkus-app/quarkus-run.jar scorecard --store-label="$each" \
      --family="$([ "$profile" = mysql ] && echo mysql || echo postgresql)" "${watched[@]}" \
      $([ "$each" = pg-replica ] && echo "--standby=$GAMESTATE_DB_STANDBYS") \
      ${scorecard_options[@]+"${scorecard_options[@]}"} ${store_scenarios[@]+"${store_scenarios[@]}"}
    stop_all
    pids=()
    if [ "$each" = galera ]; then restore_db_address; fi
  done
  # A violation the checker finds is a scorecard row like any other: the pages are written, then the exit says so.
  checker=0
  if [ "$faults" = true ]; then run_faults target/scorecard || checker=$?; fi
  echo "==> scorecard pages (devstack scorecard-report)"
  java -jar devstack/target/quarkus-app/quarkus-run.jar scorecard-report --dir=target/scorecard
  echo "==> summary: scorecard in target/scorecard/scorecard.html and scorecard.md, one JSON per store and scenario beside them"
  exit $checker
fi

if [ "$faults" = true ]; then
  run_faults
  echo "==> summary: the checker's figures above (target/faults/galera/checker.json)"
  exit 0
fi

profile=$(profile_of "$store")
build "$profile"
case "$store" in embedded|mariadb-local|pg-replica|galera) start_store "$store" ;; esac
start_tracing
start_suite ${gls_options[@]+"${gls_options[@]}"}

echo "==> applying RMW-units and queries (${duration} per mode)"
java -jar devstack/target/quarkus-app/quarkus-run.jar bench --duration="$duration" --report=target/rmw-bench.txt

gatling_started=$(date +%s)
case "$simulation" in
  players)
    gatling_class=PlayerSessionSimulation
    gatling_options=(-Dusers="$users" -DrampSeconds="$ramp" -Dmoves="$moves")
    # The quick run's 300 actions come from JVMs started a minute ago: its p99 is the first calls
    # on cold paths (a player's first trade or attack), so it gets a cold-start bound.
    if [ "$quick" = true ]; then gatling_options+=(-Dp99Ms=500); fi
    echo "==> players: Gatling $gatling_class, $users players joining over ${ramp}s, $moves moves each" ;;
  ramp)
    gatling_class=RmwRampSimulation
    if [ "$quick" = true ]; then gatling_options=(-Dlevels=4 -DwarmupSeconds=10 -Dplayers=100); else gatling_options=(); fi
    echo "==> RMW ramp: Gatling $gatling_class, HTTP moves at rising rates, the highest rate with p99 <= 15 ms" ;;
  hotcell)
    gatling_class=HotCellSimulation
    gatling_options=(-Dplayers="$users")
    echo "==> hot cell: Gatling $gatling_class, $users players crowding one resource node" ;;
esac
# The simulation's own summary (the ramp's table, the hot cell's ledger), also when its assertions fail.
gatling_summary() { sed -n '/^---- summary: /,/^---- end of summary ----/p' "$logs/gatling.log"; }
# Gatling's own assertions (failed ratio, p99) fail the run, but only after everything below is
# printed: a failed run is when the report and the slow requests are needed most.
gatling_status=0
./mvnw -B -q -f gatling/pom.xml gatling:test -Dsimulation="io.gamestate.gatling.$gatling_class" \
  -DbaseUrl="http://127.0.0.1:$GLS_PORT" ${gatling_options[@]+"${gatling_options[@]}"} \
  >"$logs/gatling.log" 2>&1 || gatling_status=$?
if grep -q -- '---- Global Information' "$logs/gatling.log"; then
  sed -n '/---- Global Information/,/^=====/p' "$logs/gatling.log"
else
  tail -n 40 "$logs/gatling.log"  # Gatling did not get as far as its table: show why
fi
gatling_summary
grep -o 'file://.*index.html' "$logs/gatling.log" | tail -n 1 | sed 's#^file://#==> Gatling report: #'
if [ "$tracing" = true ]; then
  echo "==> slow requests of the Gatling run, from their traces (devstack slow-requests):"
  java -jar devstack/target/quarkus-app/quarkus-run.jar slow-requests --zipkin="http://127.0.0.1:$ZIPKIN_PORT" \
    --lookback="$(( $(date +%s) - gatling_started + 5 ))s" --show=5 | tee target/slow-requests.txt
  echo "==> traces: http://127.0.0.1:$ZIPKIN_PORT/zipkin/ (report in target/slow-requests.txt)"
fi
echo "==> summary: RMW-units/s and latencies above (target/rmw-bench.txt), players' requests in the Gatling table"
grep '^change streams' target/rmw-bench.txt | sed 's/^/==> CDC lag: /' || true
if [ "$gatling_status" -ne 0 ]; then
  grep -E ': false' "$logs/gatling.log" | tail -n 10 >&2 || true  # the assertions that failed
  echo "==> Gatling assertions failed (log: $logs/gatling.log)" >&2
  exit 1
fi

if [ "$keep" = true ]; then
  [ "$tracing" = true ] && echo "==> trace UI: http://127.0.0.1:$ZIPKIN_PORT/zipkin/"
  echo "==> suite running: gls-service 127.0.0.1:$GLS_PORT (HTTP /players, WebSocket /ws), state-service 127.0.0.1:$STATE_PORT, query-service 127.0.0.1:$QUERY_PORT (gRPC, reflection on), logs in $logs; Ctrl-C stops it"
  wait
fi
exit 0
