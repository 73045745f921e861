#!/bin/sh
# Writes the Swift source that carries migrations/ in the binary, so that `pasisync migrate` works
# without the source tree. The EmbedMigrations plugin runs it when a file of migrations/ changes,
# is added or is removed.
#
#   embed-migrations.sh MIGRATIONS_DIR OUTPUT.swift
set -eu
export LC_ALL=C
root=$1 target=$2
tmp="$target.tmp"
mkdir -p "$(dirname "$target")"

fail() { echo "error: $*" >&2; exit 1; }

# The text of one file as a Swift raw string literal: the body verbatim between `####"""` and
# `"""####` at the start of their own lines (the final newline is not part of it, as the checksums
# recorded by earlier builds were taken without it).
literal() {
  if grep -qF '"####' "$1"; then fail "$1: contains the literal delimiter \"####"; fi
  printf '####"""\n'
  cat "$1"
  [ -z "$(tail -c 1 "$1")" ] || printf '\n'
  printf '"""####'
}

{
  echo '// Generated from migrations/ by the EmbedMigrations plugin (embed-migrations.sh). Not in git.'
  echo
  echo 'extension Migration {'
  echo '    /// Every numbered migration of `migrations/`, in order.'
  echo '    public static let embedded: [Migration] = ['
  for f in "$root"/*.sql; do
    [ -e "$f" ] || continue
    name=${f##*/}
    echo "$name" | grep -Eq '^[0-9]{4}_[a-z0-9_]+\.sql$' \
      || fail "migrations/$name: a numbered migration is named NNNN_name.sql (four digits, lower-case name)"
    version=$(echo "$name" | cut -c1-4 | sed 's/^0*//')
    printf '        Migration(version: %s, name: "%s", sql: ' "${version:-0}" "$name"
    literal "$f"
    printf '),\n'
  done
  echo '    ]'
  echo
  echo '    /// Checksums of earlier texts of numbered migrations (`migrations/earlier-checksums.txt`).'
  echo '    public static let embeddedEarlierChecksums: [(version: Int, checksum: String)] = ['
  if [ -f "$root/earlier-checksums.txt" ]; then
    awk '{ sub(/#.*/, "") } NF == 0 { next }
         NF != 2 || $1 !~ /^[0-9]+$/ || $2 !~ /^[0-9a-f]+$/ || length($2) != 64 {
           printf "error: migrations/earlier-checksums.txt:%d: expected VERSION SHA256\n", NR > "/dev/stderr"; exit 1 }
         { printf "        (%d, \"%s\"),\n", $1, $2 }' "$root/earlier-checksums.txt"
  fi
  echo '    ]'
  echo '}'
  echo
  echo 'extension RepeatableMigration {'
  echo '    /// Every re-applied file of `migrations/` (functions, views, upkeep), in the order applied.'
  echo '    public static let embedded: [RepeatableMigration] = ['
  for folder in functions views upkeep; do
    for f in "$root/$folder"/*.sql; do
      [ -e "$f" ] || continue
      name=${f##*/}
      echo "$name" | grep -Eq '^[a-z_]+\.[a-z0-9_]+\.sql$' \
        || fail "migrations/$folder/$name: a re-applied file is named SCHEMA.OBJECT.sql after the one object it defines"
      printf '        RepeatableMigration(name: "%s/%s", sql: ' "$folder" "$name"
      literal "$f"
      printf '),\n'
    done
  done
  echo '    ]'
  echo '}'
} > "$tmp"
mv "$tmp" "$target"
