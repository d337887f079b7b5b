/**
 * The stack the SMS tests run on: the SOLAPI-shaped fake, the gateway and BFF sending to it, the notifications
 * worker in this process (its log lines kept, like the BFF's), and the notifications queue to look at jobs.
 */
import { Queue } from 'bullmq';
import type { StartedFake } from '../../fakes/fake-server';
import { type SmsProviderState, startSmsProvider } from '../../fakes/sms-provider';
import { loadConfig } from '../../shared/config';
import { createLogger } from '../../shared/logger';
import { bullPrefix, closeRedis, createRedis, type Redis } from '../../shared/redis';
import { startWorkers, type RunningWorkers } from '../../workers/bootstrap';
import { startStack, type TestStack } from '../support/stack';

/** A Korean mobile number in E.164 that no other test uses. */
export const randomPhone = (): string => `+8210${Math.floor(10_000_000 + Math.random() * 89_999_999)}`;

export interface SmsStack {
  readonly stack: TestStack;
  readonly sms: StartedFake<SmsProviderState>;
  /** The workers' connection, which the queue below uses. */
  readonly redis: Redis;
  readonly notifications: Queue;
  readonly bffLogLines: string[];
  readonly workerLogLines: string[];
  /** `POST /__control` on the fake: a partial update of its knobs. */
  control(knobs: object): Promise<Response>;
}

export interface SmsStackOptions {
  /** The stack's label (database and Redis prefix). */
  label: string;
  /** SOLAPI credentials for the fake and the stack alike; without them both use the local defaults. */
  credentials?: { apiKey: string; apiSecret: string };
}

/** Starts the SMS stack before a `describe` block's tests and closes it after them. */
export function useSmsStack({ label, credentials }: SmsStackOptions): SmsStack {
  const bffLogLines: string[] = [];
  const workerLogLines: string[] = [];
  let stack: TestStack | undefined;
  let sms: StartedFake<SmsProviderState> | undefined;
  let workers: RunningWorkers | undefined;
  let redis: Redis | undefined;
  let notifications: Queue | undefined;

  beforeAll(async () => {
    sms = await startSmsProvider({ port: 0, ...credentials });
    stack = await startStack({
      label,
      env: {
        SOLAPI_BASE_URL: sms.url,
        ...(credentials && {
          SOLAPI_API_KEY: credentials.apiKey,
          SOLAPI_API_SECRET: credentials.apiSecret,
        }),
      },
      bffLogLines,
    });
    const config = loadConfig({ ...process.env, ...stack.env });
    const logger = createLogger({
      level: 'debug',
      name: 'workers-test',
      destination: { write: (line: string) => workerLogLines.push(line) },
    });
    workers = await startWorkers(config, logger, [{ domain: 'notifications', concurrency: 1 }]);
    redis = createRedis(process.env.REDIS_URL!, 'worker');
    notifications = new Queue('notifications', {
      connection: redis,
      prefix: bullPrefix(stack.env.REDIS_PREFIX!),
    });
  });
  afterAll(async () => {
    await notifications?.close();
    if (redis) await closeRedis(redis);
    await workers?.close(5000);
    await stack?.close();
    await sms?.close();
  });

  const started = <T>(value: T | undefined): T => {
    if (value === undefined) throw new Error(`the ${label} stack is used before beforeAll started it`);
    return value;
  };
  return {
    get stack() {
      return started(stack);
    },
    get sms() {
      return started(sms);
    },
    get redis() {
      return started(redis);
    },
    get notifications() {
      return started(notifications);
    },
    bffLogLines,
    workerLogLines,
    control: (knobs) =>
      fetch(`${started(sms).url}/__control`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(knobs),
      }),
  };
}
