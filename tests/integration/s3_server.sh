# A real S3 server for integration tests and benchmarks: a single-node Ceph cluster (one
# monitor, one in-memory OSD) and the RADOS Gateway, on loopback ports in a temporary
# directory. Sourced, not run:
#
#   source tests/integration/s3_server.sh
#   s3_server_start DIR || { [ $? -ne 2 ] || skip "$S3_SERVER_SKIP_REASON"; fail ...; }
#   trap 's3_server_stop' EXIT      # or call s3_server_stop from your own trap
#
# The OSD holds every object in memory, up to S3_SERVER_MEMSTORE_MB (default 512) MB.
# s3_server_start exports AWS_ENDPOINT_URL, AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY,
# AWS_REGION and S3_SERVER_PORT. It returns 2 with S3_SERVER_SKIP_REASON set when the Ceph
# packages are missing, and 1 (after printing the daemon logs) when the cluster fails to
# come up. s3_server_stop kills exactly the daemons it started, by PID.
#
# Why these settings: authentication between the daemons is off (cephx needs keyrings and
# buys nothing on loopback), the OSD keeps objects in memory (memstore) so nothing touches
# a disk, pools have one replica because there is one OSD, and the messenger speaks only
# v1 on 127.0.0.1 so the monitor binds a single known port. radosgw still checks every
# request's SigV4 signature against the user created below.

S3_SERVER_ACCESS_KEY=archmltestaccesskey
S3_SERVER_SECRET_KEY=archml-test-secret-key-0123456789
S3_SERVER_PIDS=()

# A port nobody listens on now; the kernel picks it, so parallel tests do not collide.
_s3_free_port() {
  /usr/bin/python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

_s3_dump_logs() {
  local dir=$1 log
  for log in "$dir"/log/*.log "$dir"/*.out; do
    [ -f "$log" ] || continue
    echo "----- $log (last 40 lines)" >&2
    tail -n 40 "$log" >&2
  done
}

# _s3_wait SECONDS DESCRIPTION COMMAND...: retries COMMAND every 0.25 s until it succeeds.
_s3_wait() {
  local seconds=$1 what=$2
  shift 2
  local deadline=$((SECONDS + seconds))
  until "$@" >/dev/null 2>&1; do
    if [ "$SECONDS" -ge "$deadline" ]; then
      echo "s3_server: $what not ready after ${seconds}s" >&2
      return 1
    fi
    sleep 0.25
  done
}

# Remembers a daemon for s3_server_stop. Disowned, because ceph-mon aborts on SIGTERM at
# shutdown and bash would report that to the test's output as if something had failed.
_s3_track() {
  S3_SERVER_PIDS+=("$1")
  disown "$1"
}

# Kills the daemons if the shell that started them dies without calling s3_server_stop
# (killed by a CI timeout, say), so no cluster outlives its test.
_s3_watchdog() {
  local parent=$1
  shift
  while kill -0 "$parent" 2>/dev/null; do sleep 1; done
  kill "$@" 2>/dev/null || true
  sleep 10
  kill -9 "$@" 2>/dev/null || true
}

# _s3_ceph ARGS...: the ceph CLI against our cluster, retried: without cephx a client can
# send its first command before it holds the monitor map, and the monitor refuses it
# ("wrong fsid", EPERM). Every command used here is idempotent.
_s3_ceph() {
  local attempt output
  for attempt in 1 2 3 4 5 6 7 8 9 10; do
    if output=$(ceph -c "$S3_SERVER_CONF" --connect-timeout 5 "$@" 2>>"$S3_SERVER_DIR/ceph-cli.out"); then
      printf '%s\n' "$output"
      return 0
    fi
    sleep 0.5
  done
  return 1
}

s3_server_start() {
  local dir=$1
  local tool
  for tool in ceph-mon ceph-osd radosgw radosgw-admin monmaptool ceph; do
    if ! command -v "$tool" >/dev/null 2>&1; then
      S3_SERVER_SKIP_REASON="$tool is not installed (Debian packages: ceph-mon ceph-osd radosgw)"
      return 2
    fi
  done
  mkdir -p "$dir/log" "$dir/run" "$dir/mon.a" "$dir/osd.0"
  S3_SERVER_DIR=$dir
  local mon_port rgw_port fsid osd_uuid
  mon_port=$(_s3_free_port)
  rgw_port=$(_s3_free_port)
  fsid=$(cat /proc/sys/kernel/random/uuid)
  osd_uuid=$(cat /proc/sys/kernel/random/uuid)
  S3_SERVER_CONF="$dir/ceph.conf"
  cat >"$S3_SERVER_CONF" <<EOF
[global]
fsid = $fsid
mon_host = v1:127.0.0.1:$mon_port
public_addr = 127.0.0.1
ms_bind_msgr2 = false
ms_bind_ipv6 = false
auth_cluster_required = none
auth_service_required = none
auth_client_required = none
auth_allow_insecure_global_id_reclaim = true
osd_pool_default_size = 1
osd_pool_default_min_size = 1
mon_allow_pool_size_one = true
mon_warn_on_pool_no_redundancy = false
osd_pool_default_pg_num = 8
osd_pool_default_pgp_num = 8
osd_pool_default_pg_autoscale_mode = off
osd_crush_chooseleaf_type = 0
run_dir = $dir/run
admin_socket = $dir/run/\$name.asok
log_file = $dir/log/\$name.log
pid_file = $dir/run/\$name.pid
keyring = /dev/null

[mon]
mon_data = $dir/mon.\$id

[osd]
osd_data = $dir/osd.\$id
osd_objectstore = memstore
memstore_device_bytes = $((${S3_SERVER_MEMSTORE_MB:-512} << 20))
osd_memory_target = 939524096
osd_max_object_size = 134217728
# The OSD's own placement commands race its first monitor map (they go out with a zero
# fsid and are refused); the harness places the OSD in the CRUSH map itself instead.
osd_crush_update_on_start = false
osd_class_update_on_start = false

[client.rgw]
rgw_frontends = beast endpoint=127.0.0.1:$rgw_port
rgw_dns_name = 127.0.0.1
rgw_data = $dir/rgw
rgw_enable_usage_log = false
EOF
  local conf=(-c "$S3_SERVER_CONF")
  monmaptool --create --fsid "$fsid" --addv a "[v1:127.0.0.1:$mon_port]" "$dir/monmap" \
    >"$dir/monmaptool.out" 2>&1 || { _s3_dump_logs "$dir"; return 1; }
  ceph-mon "${conf[@]}" --mkfs -i a --monmap "$dir/monmap" >"$dir/mon-mkfs.out" 2>&1 ||
    { _s3_dump_logs "$dir"; return 1; }
  ceph-mon "${conf[@]}" -f -i a >"$dir/mon.out" 2>&1 &
  _s3_track $!
  _s3_wait 30 "ceph-mon" ceph "${conf[@]}" --connect-timeout 2 mon stat ||
    { _s3_dump_logs "$dir"; s3_server_stop; return 1; }

  local osd_id
  osd_id=$(_s3_ceph osd new "$osd_uuid") || { _s3_dump_logs "$dir"; s3_server_stop; return 1; }
  _s3_ceph osd crush add "osd.$osd_id" 1.0 root=default >/dev/null ||
    { _s3_dump_logs "$dir"; s3_server_stop; return 1; }
  ceph-osd "${conf[@]}" -i "$osd_id" --mkfs --osd-uuid "$osd_uuid" >"$dir/osd-mkfs.out" 2>&1 ||
    { _s3_dump_logs "$dir"; s3_server_stop; return 1; }
  ceph-osd "${conf[@]}" -f -i "$osd_id" >"$dir/osd.out" 2>&1 &
  _s3_track $!
  _s3_wait 30 "ceph-osd" bash -c "ceph -c '$S3_SERVER_CONF' osd stat | grep -q '1 up'" ||
    { _s3_dump_logs "$dir"; s3_server_stop; return 1; }

  radosgw "${conf[@]}" -f -n client.rgw >"$dir/rgw.out" 2>&1 &
  _s3_track $!
  _s3_wait 60 "radosgw" curl -sf "http://127.0.0.1:$rgw_port/" ||
    { _s3_dump_logs "$dir"; s3_server_stop; return 1; }
  # The same race as _s3_ceph: retried until the user exists.
  local attempt
  for attempt in 1 2 3 4 5 6 7 8 9 10; do
    radosgw-admin "${conf[@]}" user create --uid archml-test --display-name "archml test" \
      --access-key "$S3_SERVER_ACCESS_KEY" --secret-key "$S3_SERVER_SECRET_KEY" \
      >>"$dir/user-create.out" 2>&1 && break
    radosgw-admin "${conf[@]}" user info --uid archml-test >/dev/null 2>&1 && break
    sleep 0.5
  done
  radosgw-admin "${conf[@]}" user info --uid archml-test >/dev/null 2>&1 ||
    { _s3_dump_logs "$dir"; s3_server_stop; return 1; }

  _s3_watchdog $$ "${S3_SERVER_PIDS[@]}" </dev/null >/dev/null 2>&1 &
  S3_SERVER_WATCHDOG=$!
  disown "$S3_SERVER_WATCHDOG"

  export S3_SERVER_PORT=$rgw_port
  export AWS_ENDPOINT_URL="http://127.0.0.1:$rgw_port"
  export AWS_ACCESS_KEY_ID=$S3_SERVER_ACCESS_KEY
  export AWS_SECRET_ACCESS_KEY=$S3_SERVER_SECRET_KEY
  export AWS_REGION=us-east-1
  unset AWS_SESSION_TOKEN AWS_ENDPOINT_URL_S3 AWS_PROFILE
}

# Stops the daemons in reverse order of start; a daemon that ignores SIGTERM for 10 s is
# killed. Safe to call twice.
s3_server_stop() {
  local i pid waited
  if [ -n "${S3_SERVER_WATCHDOG:-}" ]; then
    kill "$S3_SERVER_WATCHDOG" 2>/dev/null || true
    S3_SERVER_WATCHDOG=""
  fi
  for ((i = ${#S3_SERVER_PIDS[@]} - 1; i >= 0; i--)); do
    pid=${S3_SERVER_PIDS[$i]}
    kill "$pid" 2>/dev/null || continue
    waited=0
    while kill -0 "$pid" 2>/dev/null && [ "$waited" -lt 40 ]; do
      sleep 0.25
      waited=$((waited + 1))
    done
    kill -9 "$pid" 2>/dev/null || true
  done
  S3_SERVER_PIDS=()
}
