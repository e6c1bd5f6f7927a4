#!/bin/sh
# Back up minilat's editorial database (SQLite online backup: the server keeps running),
# then keep only the newest $MINILAT_BACKUP_KEEP backups. Run by minilat-backup.timer.
#   MINILAT             the minilat command        (default: minilat on PATH)
#   MINILAT_EDITORIAL   the editorial database     (as the server uses)
#   MINILAT_BACKUP_DIR  where backups go           (default /var/backups/minilat)
#   MINILAT_BACKUP_KEEP how many to keep           (default 30)
set -eu
minilat=${MINILAT:-minilat}
dir=${MINILAT_BACKUP_DIR:-/var/backups/minilat}
keep=${MINILAT_BACKUP_KEEP:-30}
umask 077
mkdir -p "$dir"
file="$dir/minilat-editorial-$(date -u +%Y%m%dT%H%M%SZ).db"
"$minilat" backup "$file"
# the newest $keep stay; names sort by time
ls -1 "$dir"/minilat-editorial-*.db | sort -r | tail -n +"$((keep + 1))" | while read -r old; do
    rm -f -- "$old"
done
