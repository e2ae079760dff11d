#!/bin/sh
# Run once before the editor and the viewers start (compose's first-publish service): builds the editor's database
# from data/seed and data/external when there is none, then publishes the first snapshot when none is published
# yet. Running it again changes nothing: after that, the editor publishes after each change.
#   CTA_DB_PATH     the editor's database (compose: /data/tracker.duckdb)
#   CTA_PUBLISH_TO  the snapshot the viewers read (compose: /published/tracker-snapshot.duckdb)
#   CTA_SITE_DIR    optional: the public edition's folder, written from the snapshot when there is none yet
#                   (compose: /published/site), at CTA_SITE_BASE_URL
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
site="${CTA_SITE_DIR:-}"
if [ -n "$site" ]; then
    if [ -e "$site/.cta-edition" ]; then
        echo "A public edition is published in $site: the editor writes the next one after a change."
    else
        python -m pipelines site --db "$snapshot" --out "$site" --base-url "${CTA_SITE_BASE_URL:?set CTA_SITE_BASE_URL}"
    fi
fi
