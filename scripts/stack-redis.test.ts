/**
 * `npm start`'s command line and the ready banner's Redis line (scripts/stack-redis.mjs): plain functions, no
 * I/O. The module is plain ESM JavaScript, loaded here by path with the types it exports written out.
 */
import path from 'node:path';

interface StackRedisModule {
  parseStackOptions(args: string[], env?: Record<string, string>): { redisCluster: boolean; help: boolean };
  describeRedis(env?: Record<string, string>): string;
  UsageError: new (message: string) => Error;
}

const MODULE = path.join(__dirname, 'stack-redis.mjs');
let stackRedis: StackRedisModule;

beforeAll(async () => {
  stackRedis = (await import(MODULE)) as StackRedisModule;
});

describe('parseStackOptions', () => {
  it('when no argument and no REDIS_CLUSTER are given, then the stack runs on one Redis', () => {
    expect(stackRedis.parseStackOptions([], {})).toEqual({ redisCluster: false, help: false });
  });

  it('when --redis-cluster is given, then the stack runs on the local cluster', () => {
    expect(stackRedis.parseStackOptions(['--redis-cluster'], {})).toEqual({
      redisCluster: true,
      help: false,
    });
  });

  it.each(['1', 'true', 'TRUE', ' 1 '])(
    'when REDIS_CLUSTER is %j, then it is the same as --redis-cluster',
    (value) => {
      expect(stackRedis.parseStackOptions([], { REDIS_CLUSTER: value }).redisCluster).toBe(true);
    },
  );

  it.each(['', '0', 'false'])('when REDIS_CLUSTER is %j, then the stack runs on one Redis', (value) => {
    expect(stackRedis.parseStackOptions([], { REDIS_CLUSTER: value }).redisCluster).toBe(false);
  });

  it('when REDIS_CLUSTER=0 and --redis-cluster are both given, then the argument wins', () => {
    expect(stackRedis.parseStackOptions(['--redis-cluster'], { REDIS_CLUSTER: '0' }).redisCluster).toBe(true);
  });

  it('when --help or -h is given, then help is asked for', () => {
    expect(stackRedis.parseStackOptions(['--help'], {}).help).toBe(true);
    expect(stackRedis.parseStackOptions(['-h'], {}).help).toBe(true);
  });

  it('when an unknown argument is given, then a usage error names it', () => {
    const parse = () => stackRedis.parseStackOptions(['--redis-cluster', '--cluster'], {});
    expect(parse).toThrow(stackRedis.UsageError);
    expect(parse).toThrow("unknown argument '--cluster'");
  });

  it('when REDIS_CLUSTER is neither on nor off, then a usage error names its value', () => {
    expect(() => stackRedis.parseStackOptions([], { REDIS_CLUSTER: 'yes please' })).toThrow(
      "REDIS_CLUSTER must be 1 or 0 (true or false), got 'yes please'",
    );
  });
});

describe('describeRedis', () => {
  it('when REDIS_CLUSTER_NODES lists consecutive ports of one host, then it shows the count and the range', () => {
    const nodes = [7100, 7101, 7102, 7103, 7104, 7105].map((port) => `127.0.0.1:${port}`).join(',');
    expect(
      stackRedis.describeRedis({ REDIS_CLUSTER_NODES: nodes, REDIS_URL: 'redis://127.0.0.1:6379' }),
    ).toBe('cluster (6 nodes, 127.0.0.1:7100-7105)');
  });

  it('when the cluster nodes are not one range, then it lists them', () => {
    expect(stackRedis.describeRedis({ REDIS_CLUSTER_NODES: 'redis-a:6379, redis-b:6379,' })).toBe(
      'cluster (2 nodes, redis-a:6379, redis-b:6379)',
    );
    expect(stackRedis.describeRedis({ REDIS_CLUSTER_NODES: '10.0.0.5:7000' })).toBe(
      'cluster (1 node, 10.0.0.5:7000)',
    );
  });

  it('when only REDIS_URL is set, then it shows host and port, never the password', () => {
    expect(stackRedis.describeRedis({ REDIS_URL: 'redis://127.0.0.1:6379' })).toBe('127.0.0.1:6379');
    expect(stackRedis.describeRedis({ REDIS_URL: 'redis://:s3cret@cache.internal/2' })).toBe(
      'cache.internal:6379/2',
    );
    expect(stackRedis.describeRedis({ REDIS_URL: 'rediss://user:pw@cache.internal:6380/0' })).toBe(
      'cache.internal:6380 (TLS)',
    );
  });
});
