#!/bin/bash
# Run the production set-up on one database as one process group:
# the web client and JSON-RPC under gunicorn (WORKERS processes), one
# trytond-cron and one trytond-worker. Ctrl-C (or SIGTERM) stops all of
# them; when one of them dies, the others are stopped too.
#
#   scripts/serve-postgresql.sh CONF DATABASE WORKERS PORT
set -u
conf=$1 database=$2 workers=$3 port=$4
bin=$(dirname "$0")/../.venv/bin
pids=()

# Each process runs in a process group of its own (job control), with the
# processes it forks (gunicorn's workers, the cron's and the worker's
# pools): Ctrl-C reaches this script only, which stops each group with
# SIGTERM, the signal each of them shuts down on.
set -m
stop() {
	trap - INT TERM EXIT
	for pid in "${pids[@]}"; do
		kill -TERM -- "-$pid" 2>/dev/null
	done
	wait
}
trap stop INT TERM EXIT

# TRYTOND_DATABASE_NAMES: each gunicorn process loads the database's pool
# when it starts, not at its first request
TRYTOND_CONFIG=$conf TRYTOND_DATABASE_NAMES=$database \
	"$bin/gunicorn" --workers "$workers" --bind "localhost:$port" \
	--timeout 120 --graceful-timeout 30 --no-control-socket \
	--access-logfile - \
	trytond.application:app &
pids+=($!)
"$bin/trytond-cron" -c "$conf" -d "$database" &
pids+=($!)
"$bin/trytond-worker" -c "$conf" -d "$database" &
pids+=($!)
wait -n
