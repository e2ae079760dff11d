#!/bin/sh
# Run once before the editor and the viewers start (compose's first-publish service): builds the editor's database
# from data/seed and data/external when there is none, then publishes the first snapshot when none is published
# yet. Running it again changes nothing: after that, the editor publishes after each change.
#   CTA_DB_PATH     the editor's database (compose: /data/tracker.duckdb)
#   CTA_PUBLISH_TO  the snapshot the viewers read (compose: /published/tracker-snapshot.duckdb)
set -eu
db="${CTA_DB_PATH:?set CTA_DB_PATH to the editor database}"
snapshot="${CTA_PUBLISH_TO:?set CTA_PUBLISH_TO to the snapshot the viewers read}"

if [ -e "$db" ]; then
    echo "The database $db exists: kept as it is."
else
    python -m pipelines build --db "$db"
fi
if [ -e "$snapshot" ]; then
    echo "A snapshot is published at $snapshot: the editor publishes the next one after a change."
else
    python -m pipelines publish --db "$db" --out "$snapshot"
fi
