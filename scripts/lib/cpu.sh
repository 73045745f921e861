# CPU seconds (user + system) of processes, for the benchmarks' "CPU per item" figures, which
# are steadier than rates on a shared machine. Source it after `scripts/pg start` (it reads
# PASISYNC_PGDATA for PostgreSQL's postmaster).
ticks=$(getconf CLK_TCK)
cpu_of() { awk -v t="$ticks" '{printf "%.2f", ($14 + $15) / t}' "/proc/$1/stat"; }
# PostgreSQL: the postmaster, its live children and the children it has reaped (backends of
# clients that already disconnected are gone by the time we look).
cpu_of_postgres() {
  local postmaster total
  postmaster=$(head -1 "$PASISYNC_PGDATA/postmaster.pid")
  total=$(awk -v t="$ticks" '{printf "%.2f", ($14 + $15 + $16 + $17) / t}' "/proc/$postmaster/stat")
  { echo "$total"; for child in $(pgrep -P "$postmaster"); do cpu_of "$child" 2>/dev/null; echo; done; } | awk '{s += $1} END {printf "%.2f", s}'
}
cpu_of_all() { for p in "$@"; do cpu_of "$p"; echo; done | awk '{s += $1} END {printf "%.2f", s}'; }
# Turns on pg_stat_statements in cluster NAME (restarting it) and loads the extension.
enable_statements() {
  printf "shared_preload_libraries = 'pg_stat_statements'\npg_stat_statements.track = all\n" |
    { if [[ -n $PASISYNC_PG_RUNAS ]]; then runuser -u "$PASISYNC_PG_RUNAS" -- tee -a "$PASISYNC_PGDATA/postgresql.conf"; else tee -a "$PASISYNC_PGDATA/postgresql.conf"; fi; } >/dev/null
  local env_lines
  env_lines=$(scripts/pg restart "$1") || { echo "PostgreSQL cluster \"$1\" did not restart (the reason is above)" >&2; exit 1; }
  eval "$env_lines"
  "$PASISYNC_PG_BINDIR/psql" -X -q "$PASISYNC_DATABASE_URL" -c "CREATE EXTENSION IF NOT EXISTS pg_stat_statements" >/dev/null
}
# The statements that took the database's time since the last reset (top N, default 15).
print_statements() {
  "$PASISYNC_PG_BINDIR/psql" -X -q "$PASISYNC_DATABASE_URL" -c "SELECT round(total_exec_time)::bigint AS total_ms, calls,
         round((total_exec_time / calls)::numeric, 3) AS ms_per_call, left(regexp_replace(query, '\s+', ' ', 'g'), 110) AS statement
    FROM pg_stat_statements ORDER BY total_exec_time DESC LIMIT ${1:-15}"
}
reset_statements() { "$PASISYNC_PG_BINDIR/psql" -X -q -At "$PASISYNC_DATABASE_URL" -c "SELECT pg_stat_statements_reset()" >/dev/null; }
