# Sourced by load.sh and cpu-at-rate.sh: the Knot DNS configuration both start, so the peer is the same.
# knot_conf DIR PORT WORKERS ZONE_DIR: writes DIR/knot.conf serving ZONE_DIR/cluster.local.zone on
# 127.0.0.1@PORT with WORKERS UDP workers (Knot pins each to a CPU itself), no journal, warnings only.
knot_conf() {
  mkdir -p "$1"
  cat > "$1/knot.conf" <<KNOT
server:
    listen: 127.0.0.1@$2
    udp-workers: $3
    tcp-workers: 1
    background-workers: 1
    rundir: $1
database:
    storage: $1
log:
  - target: stderr
    any: warning
zone:
  - domain: cluster.local
    storage: $4
    file: cluster.local.zone
    journal-content: none
    zonefile-sync: -1
KNOT
}
