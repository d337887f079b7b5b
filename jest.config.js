/** Jest runs unit tests beside the code and integration tests in test/ against real MySQL, Redis and nginx. */
module.exports = {
  testEnvironment: 'node',
  transform: {
    '^.+\\.ts$': ['@swc/jest'],
    // ESM-only packages (below) are compiled to CommonJS for jest's module system, as plain JavaScript.
    '^.+\\.m?js$': [
      '@swc/jest',
      {
        swcrc: false,
        jsc: { parser: { syntax: 'ecmascript' }, target: 'es2022' },
        module: { type: 'commonjs' },
      },
    ],
  },
  // The one list of ESM-only dependencies jest must transform (Node itself loads them with require(esm)).
  transformIgnorePatterns: ['/node_modules/(?!(jose|openid-client|oauth4webapi)/)'],
  testMatch: ['<rootDir>/**/*.test.ts'],
  // The Redis Cluster suite (its own six-node cluster, a failover) runs in `npm run test:cluster`, which sets
  // REDIS_CLUSTER_NODES, and so in .ci/run; a plain `npm test` leaves it out.
  testPathIgnorePatterns: [
    '/node_modules/',
    '/dist/',
    ...(process.env.REDIS_CLUSTER_NODES ? [] : ['/test/cluster/']),
    // Likewise the read-replica suite, which needs a replicating pair (TEST_MYSQL_REPLICA_URL).
    ...(process.env.TEST_MYSQL_REPLICA_URL ? [] : ['/test/replica/']),
  ],
  globalSetup: '<rootDir>/test/support/global-setup.ts',
  setupFiles: ['<rootDir>/test/support/env.ts'],
  testTimeout: 60000,
  maxWorkers: 2,
};
