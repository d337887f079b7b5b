import { z } from 'zod';
import { parseSealingKey } from './sealed-text';
import { toKoreanDomesticNumber } from './solapi';

/** PEM values may arrive from env files with escaped newlines. */
const pem = z
  .string()
  .min(1)
  .transform((value) => value.replace(/\\n/g, '\n'))
  .refine((value) => value.includes('-----BEGIN'), 'must be a PEM block');

/** Whether Intl knows `name` as a time zone (statistics days are cut in SHOP_TIME_ZONE). */
const isTimeZone = (name: string): boolean => {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: name });
    return true;
  } catch {
    return false;
  }
};
const port = z.coerce.number().int().min(0).max(65535);
const positiveInt = z.coerce.number().int().positive();
/** A 32-byte key for shared/sealed-text, written as hex or base64; the parsed value is the key's bytes. */
const sealingKey = z.string().transform((value, context) => {
  const key = parseSealingKey(value);
  if (key) return key;
  context.addIssue({ code: 'custom', message: 'must be 32 bytes as 64 hex or 44 base64 characters' });
  return z.NEVER;
});
const booleanFlag = z
  .enum(['true', 'false', '1', '0'])
  .transform((value) => value === 'true' || value === '1');

/** The largest read-replica settings accepted; shared/read-replica derives its staleness bound from them. */
export const REPLICA_SETTING_LIMITS = { maxLagMs: 3000, checkIntervalMs: 1000 } as const;

const configSchema = z.object({
  NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  DATABASE_URL: z.url({ protocol: /^mysql2?$/ }),
  DB_POOL_MAX: positiveInt.default(10),
  /**
   * The BFF's per-statement time limit on its knex connections (MariaDB max_statement_time, MySQL
   * max_execution_time for SELECTs); a statement cut off answers 503. 0 turns it off. Workers have none.
   */
  DB_STATEMENT_TIMEOUT_MS: z.coerce.number().int().min(0).max(600_000).default(5000),
  /**
   * A read replica of DATABASE_URL (same database name) for the catalogue reads that tolerate a moment's lag
   * (shared/read-replica.ts); unset, every read goes to the primary.
   */
  DATABASE_REPLICA_URL: z.url({ protocol: /^mysql2?$/ }).optional(),
  /** Reads leave a replica further behind than this (or not answering) for the primary until it catches up. */
  DB_REPLICA_MAX_LAG_MS: positiveInt.min(100).max(REPLICA_SETTING_LIMITS.maxLagMs).default(1000),
  /** How often the BFF writes its heartbeat on the primary and reads it back from the replica. */
  DB_REPLICA_CHECK_INTERVAL_MS: positiveInt.min(50).max(REPLICA_SETTING_LIMITS.checkIntervalMs).default(250),
  REDIS_URL: z.url({ protocol: /^rediss?$/ }),
  /**
   * Redis Cluster instead of one Redis: comma-separated host:port seed nodes (scripts/redis-cluster.sh nodes).
   * Set, every process uses a cluster client and hash-tagged queue keys (shared/redis-keys.ts); REDIS_URL may
   * then be left out (it defaults to the first node, for tools that need one address).
   */
  REDIS_CLUSTER_NODES: z
    .string()
    .transform((value) =>
      value
        .split(',')
        .map((node) => node.trim())
        .filter((node) => node !== ''),
    )
    .pipe(z.array(z.string().regex(/^[A-Za-z0-9.-]+:\d{1,5}$/, 'host:port, comma-separated')).min(1))
    .optional(),
  REDIS_PREFIX: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,40}$/, 'letters, digits, _ and - only')
    .default('vm'),
  BFF_HOST: z.string().default('127.0.0.1'),
  BFF_PORT: port.default(3000),
  /** Each BFF request's deadline: unanswered by then, it is a 503 DEADLINE_EXCEEDED (streams excepted). 0: none. */
  REQUEST_TIMEOUT_MS: z.coerce.number().int().min(0).max(600_000).default(15000),
  GATEWAY_SECRET: z.string().min(32, 'must be at least 32 characters'),
  JWT_PRIVATE_KEY: pem,
  JWT_KID: z.string().min(1).default('k1'),
  JWT_ISSUER: z.string().min(1).default('voltmall'),
  JWT_AUDIENCE: z.string().min(1).default('voltmall-api'),
  ACCESS_TOKEN_TTL_SECONDS: positiveInt.max(3600).default(900),
  /** Per-account login brake (bff/auth/login-throttle): this many failures block the account's logins... */
  LOGIN_THROTTLE_FAILURES: positiveInt.max(1000).default(5),
  /** ...counted until this long after the last one; */
  LOGIN_THROTTLE_WINDOW_SECONDS: positiveInt.default(900),
  /** the first block lasts this long, each further failure doubles it, up to the maximum. */
  LOGIN_THROTTLE_BLOCK_SECONDS: positiveInt.default(60),
  LOGIN_THROTTLE_MAX_BLOCK_SECONDS: positiveInt.default(900),
  REFRESH_TOKEN_TTL_SECONDS: positiveInt.default(30 * 24 * 3600),
  WORKER_QUEUES: z.string().default('orders,stock,payments,stats,notifications'),
  WORKER_CONCURRENCY: positiveInt.max(1000).default(8),
  WORKER_SHUTDOWN_TIMEOUT_MS: positiveInt.default(20000),
  WORKER_LOCK_DURATION_MS: positiveInt.min(1000).default(30000),
  WORKER_STALLED_INTERVAL_MS: positiveInt.min(500).default(30000),
  ORDER_SWEEP_INTERVAL_MS: positiveInt.min(1000).default(30000),
  ORDER_STUCK_AFTER_SECONDS: positiveInt.default(120),
  PAYMENT_GATEWAY_TIMEOUT_MS: positiveInt.max(60000).default(5000),
  STATS_RECONCILE_CRON: z.string().min(9).default('*/15 * * * *'),
  STATS_RECONCILE_DAYS: positiveInt.max(366).default(3),
  /** Port of each worker process's own /metrics; `off` disables it. Unset: 9464, or 0 (random) when NODE_ENV=test. */
  WORKER_METRICS_PORT: z.union([z.literal('off'), port]).optional(),
  WORKER_METRICS_HOST: z.string().default('127.0.0.1'),
  /**
   * A BFF or worker process whose event loop stays blocked this long logs one fatal line and kills itself, so
   * that its supervisor restarts it (shared/event-loop-watchdog); `off` disables it (e.g. under a debugger).
   */
  EVENT_LOOP_BLOCK_EXIT_MS: z.union([z.literal('off'), positiveInt.min(100)]).default(10000),
  /** The BFF's /readyz answers 503 while its event loop lags more than this (bff/health/event-loop-lag). */
  READY_MAX_EVENT_LOOP_LAG_MS: positiveInt.min(10).default(1000),
  /** How long a scrape reuses the queue job counts it read from Redis. */
  QUEUE_METRICS_CACHE_MS: z.coerce.number().int().min(0).max(60000).default(5000),
  /** Mounts Bull Board read-only (no retry, promote, clean, ...) for every queue. */
  QUEUE_DASHBOARD_READ_ONLY: booleanFlag.default(false),
  PAYMENT_GATEWAY_URL: z.url().default('http://127.0.0.1:4010'),
  PAYMENT_GATEWAY_SECRET_KEY: z.string().min(1).default('test_sk_voltmall'),
  /** The SMS provider's API: SOLAPI (workers/notifications/sms-client.ts); its fake speaks the same API. */
  SMS_PROVIDER: z.enum(['solapi']).default('solapi'),
  /** SOLAPI's API origin; development and tests point it at the fake (fakes/sms-provider.ts, port 4020). */
  SOLAPI_BASE_URL: z.url().default('https://api.solapi.com'),
  /** SOLAPI API key and secret (solapi.com → API Key). The defaults are the local fake's. */
  SOLAPI_API_KEY: z.string().min(1).default('NCSVOLTMALLLOCAL'),
  SOLAPI_API_SECRET: z.string().min(1).default('voltmall-local-solapi-secret'),
  /**
   * The sender number, registered in advance with SOLAPI (발신번호 사전등록), as +82… or domestic digits;
   * the parsed value is the domestic form SOLAPI takes (+8215880000 → 15880000).
   */
  SMS_SENDER: z
    .string()
    .default('+8215880000')
    .transform((value, context) => {
      const domestic = toKoreanDomesticNumber(value);
      if (domestic) return domestic;
      context.addIssue({
        code: 'custom',
        message: 'must be a Korean number registered with SOLAPI, e.g. 15880000, 0212345678 or +8215880000',
      });
      return z.NEVER;
    }),
  /** AES-256 key sealing SMS text (it carries codes) in job payloads: 32 bytes as 64 hex or base64 characters. */
  SMS_PAYLOAD_KEY: sealingKey,
  OIDC_ISSUER_URL: z.url().default('http://127.0.0.1:4030'),
  OIDC_CLIENT_ID: z.string().default('voltmall-local'),
  OIDC_CLIENT_SECRET: z.string().default('voltmall-local-secret'),
  /** Kakao Login (OpenID Connect): enabled when KAKAO_CLIENT_ID (the app's REST API key) is set. */
  KAKAO_CLIENT_ID: z.string().optional(),
  KAKAO_CLIENT_SECRET: z.string().default(''),
  KAKAO_ISSUER_URL: z.url().default('https://kauth.kakao.com'),
  /** Naver Login (OAuth 2.0 and its profile API): enabled when NAVER_CLIENT_ID is set. */
  NAVER_CLIENT_ID: z.string().optional(),
  NAVER_CLIENT_SECRET: z.string().default(''),
  NAVER_AUTH_URL: z.url().default('https://nid.naver.com'),
  NAVER_API_URL: z.url().default('https://openapi.naver.com'),
  /** Google sign-in (OpenID Connect): enabled when GOOGLE_CLIENT_ID is set. */
  GOOGLE_CLIENT_ID: z.string().optional(),
  GOOGLE_CLIENT_SECRET: z.string().default(''),
  GOOGLE_ISSUER_URL: z.url().default('https://accounts.google.com'),
  PUBLIC_BASE_URL: z.url().default('http://127.0.0.1:8080'),
  SHOP_TIME_ZONE: z
    .string()
    .refine(isTimeZone, 'must be an IANA time zone such as Asia/Seoul')
    .default('Asia/Seoul'),
  DEMO_ACCOUNTS: booleanFlag.default(true),
});

export type Config = z.infer<typeof configSchema>;

/** Every variable the validated configuration reads (.env.example documents each one). */
export const CONFIG_VARIABLES = Object.keys(configSchema.shape);

/** Raised when the environment does not describe a runnable process; the message names every bad variable. */
export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration: ${problems.join('; ')}`);
    this.name = 'ConfigError';
  }
}

/**
 * Validates the environment once, at start-up. Empty strings count as unset so that a blank line in
 * `.env` does not silently become a value.
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const cleaned = Object.fromEntries(
    Object.entries(env).filter(([, value]) => value !== undefined && value !== ''),
  );
  // A cluster needs no REDIS_URL: the first seed node stands in for it.
  if (cleaned.REDIS_CLUSTER_NODES && !cleaned.REDIS_URL) {
    const first = cleaned.REDIS_CLUSTER_NODES.split(',')[0]?.trim();
    if (first) cleaned.REDIS_URL = `redis://${first}`;
  }
  const parsed = configSchema.safeParse(cleaned);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => {
      const name = issue.path.join('.');
      return issue.code === 'invalid_type' && issue.input === undefined
        ? `${name} is missing`
        : `${name} is invalid (${issue.message})`;
    });
    throw new ConfigError(problems);
  }
  return parsed.data;
}

/**
 * Loads `.env` for local runs (it never overrides what is set). Not under NODE_ENV=test: processes the tests
 * start get exactly the environment the test gives them, never a developer's local settings.
 */
export function loadDotEnv(): void {
  if (process.env.NODE_ENV === 'test') return;
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  require('dotenv').config({ quiet: true });
}

/** For process entry points: load `.env` for local runs, validate, and exit with one line naming the problem. */
export function loadConfigOrExit(): Config {
  try {
    loadDotEnv();
    return loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(78);
    }
    throw error;
  }
}
