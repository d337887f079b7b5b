#!/usr/bin/env bash
# `npm run test:cluster` (#19): a representative set of suites on the scaled-out shape, on this machine:
# a local Redis Cluster (scripts/redis-cluster.sh: six nodes, 127.0.0.1:7100-7105) and a MariaDB primary with
# its read replica (scripts/mariadb-replica.sh --own-primary: 3316 and 3317), so every BFF the tests start
# reads its catalogue listings from the replica. The suites: carts, orders and order events, the catalogue
# (admin product writes included), the admin's orders and users, the replica's lag and fallback
# (test/replica), and the cluster's own checks (test/cluster: key placement, failover, npm start on it).
# Extra arguments go to jest (e.g. a single file). The replica pair is stopped and removed at the end; the
# cluster is left running for a next run (`bash scripts/redis-cluster.sh stop` stops it; .ci/run does).
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/ensure-services.sh
bash scripts/redis-cluster.sh start
trap 'bash scripts/mariadb-replica.sh stop --own-primary >/dev/null 2>&1 || true' EXIT
trap 'exit 130' INT TERM
bash scripts/mariadb-replica.sh start --own-primary

SUITES=(
  test/cart
  test/orders/orders.test.ts
  test/orders/order-event-streams.test.ts
  test/catalogue
  test/admin/admin-orders.test.ts
  test/admin/admin-users.test.ts
  test/admin/admin-order-cancel.test.ts
  test/stats/stats-http.test.ts
  test/replica
  test/cluster
)
[ $# -gt 0 ] && SUITES=("$@")

REDIS_CLUSTER_NODES=$(bash scripts/redis-cluster.sh nodes) \
  TEST_MYSQL_URL=$(bash scripts/mariadb-replica.sh primary-url --own-primary) \
  TEST_MYSQL_REPLICA_URL=$(bash scripts/mariadb-replica.sh url --own-primary) \
  npx jest "${SUITES[@]}"
