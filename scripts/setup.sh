#!/usr/bin/env bash
# `npm start`'s pre-step: services up, .env present, schema migrated, demo data seeded. Installs nothing from npm.
set -euo pipefail
cd "$(dirname "$0")/.."
# LOG_FORMAT=json (containers, log collectors): every set-up line as a JSON log line too (docs/logging.md).
if [ "${LOG_FORMAT:-}" = json ] && [ -z "${SETUP_JSON_WRAPPED:-}" ]; then
  set +e
  SETUP_JSON_WRAPPED=1 bash scripts/setup.sh "$@" 2>&1 | node scripts/json-lines.mjs setup
  exit "${PIPESTATUS[0]}"
fi
bash scripts/ensure-services.sh
node scripts/make-env.mjs
npx tsx scripts/db/seed.ts
# The admin console (admin-ui/dist, served by nginx under /admin/): built when missing or stale.
node scripts/build-admin-ui.mjs
