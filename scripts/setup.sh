#!/usr/bin/env bash
# `npm start`'s pre-step: services up, .env present, schema migrated, demo data seeded. Installs nothing from npm.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/ensure-services.sh
node scripts/make-env.mjs
npx tsx scripts/db/seed.ts
# The admin console (admin-ui/dist, served by nginx under /admin/): built when missing or stale.
node scripts/build-admin-ui.mjs
