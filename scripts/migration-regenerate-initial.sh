#!/usr/bin/env bash
# Until the first release the schema lives in one initial migration per dialect: regenerate it
# from the entities after changing them. (After a release, add migrations with
# `npm run migration:create -- <name>` instead and never edit an applied one.)
set -euo pipefail
cd "$(dirname "$0")/.."
exec 9>/tmp/sc-migration-regen.lock
flock 9
rm -f libs/database/src/migrations/postgresql/*.ts libs/database/src/migrations/sqlite/*.ts
npx ts-node -r tsconfig-paths/register scripts/migration-create.ts initial
