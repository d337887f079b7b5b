#!/usr/bin/env bash
# One command back to the previous BFF colour: the same as `blue-green.sh rollback` (docs/DEPLOYING.md).
# The previous colour is started again from the build it ran when it is no longer running; the switch,
# the drain and the exit status are those of a deploy.
set -euo pipefail
exec bash "$(dirname "${BASH_SOURCE[0]}")/blue-green.sh" rollback "$@"
