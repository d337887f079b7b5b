/**
 * A fake SMS provider: accepts messages, keeps them in memory and lets tests read them back (the login
 * and phone-verification flows read the code out of `text`).
 */
import express from 'express';
import { z } from 'zod';
import {
  type CallLogOptions,
  type CallRecord,
  type ListenOptions,
  type StartedFake,
  chance,
  createLifecycle,
  createRandom,
  delay,
  errorJson,
  listenFake,
  newId,
  notFoundJson,
  parseOr400,
  newestFirst,
  recordCalls,
  requestIdOf,
} from './fake-server';
import { endJsonWithNewline } from '../shared/json-newline';

export interface SmsProviderKnobs {
  /** Delay before every /v1 answer. */
  latencyMs: number;
  /** Probability (0..1) that a send answers 500/503 and records nothing. */
  errorRate: number;
}

export interface SmsProviderOptions extends Partial<SmsProviderKnobs>, CallLogOptions {
  /** Expected in `Authorization: Bearer <apiKey>`. Default 'sms_test_key'. */
  apiKey?: string;
  /** PRNG seed for errorRate. Default 1. */
  seed?: number;
}

export interface SmsMessage {
  messageId: string;
  to: string;
  from: string | null;
  text: string;
  /** The optional Idempotency-Key the sender gave, or null. */
  idempotencyKey: string | null;
  requestId: string | null;
  at: string;
}

export interface SmsProviderState {
  knobs: SmsProviderKnobs;
  messages: SmsMessage[];
  calls: CallRecord[];
}

const knobsSchema = z.strictObject({
  latencyMs: z.int().min(0).max(600_000).optional(),
  errorRate: z.number().min(0).max(1).optional(),
  seed: z.int().optional(),
});

const phoneSchema = z
  .string()
  .regex(/^\+?[0-9]{8,15}$/, 'must be a phone number: optional +, then 8 to 15 digits (e.g. +821012345678)');

const sendBodySchema = z.object({
  to: phoneSchema,
  text: z.string().min(1).max(2000),
  from: phoneSchema.optional(),
});

const smsError = (code: string) => (message: string) => ({ error: { code, message } });
const invalidRequest = smsError('INVALID_REQUEST');

export function createSmsProviderApp(options: SmsProviderOptions = {}): {
  app: express.Express;
  state: SmsProviderState;
  dispose(): void;
} {
  const apiKey = options.apiKey ?? 'sms_test_key';
  const initialKnobs: SmsProviderKnobs = {
    latencyMs: options.latencyMs ?? 0,
    errorRate: options.errorRate ?? 0,
  };
  knobsSchema.parse({ ...initialKnobs, seed: options.seed });
  const initialSeed = options.seed ?? 1;
  let random = createRandom(initialSeed);
  const lifecycle = createLifecycle();
  const state: SmsProviderState = { knobs: { ...initialKnobs }, messages: [], calls: [] };

  const app = express();
  app.disable('x-powered-by');
  endJsonWithNewline(app);
  app.use(express.json({ limit: '100kb' }));
  app.use(recordCalls(state.calls, options.onCallEnd));

  app.use('/v1', async (req, res, next) => {
    if (req.get('authorization') !== `Bearer ${apiKey}`) {
      res.status(401).json(smsError('UNAUTHORIZED')('missing or wrong Bearer API key'));
      return;
    }
    if (!(await delay(state.knobs.latencyMs, lifecycle.shutdownSignal))) {
      req.socket.destroy();
      return;
    }
    if (chance(random, state.knobs.errorRate)) {
      const unavailable = random() < 0.5;
      res
        .status(unavailable ? 503 : 500)
        .json(smsError(unavailable ? 'UNAVAILABLE' : 'INTERNAL')('simulated provider failure'));
      return;
    }
    next();
  });

  app.post('/v1/messages', (req, res) => {
    const body = parseOr400(sendBodySchema, req.body, res, invalidRequest);
    if (body === undefined) return;
    // Optional, so a retried notification job does not text the user twice.
    const idempotencyKey = req.get('idempotency-key') ?? null;
    const earlier =
      idempotencyKey === null
        ? undefined
        : state.messages.find((message) => message.idempotencyKey === idempotencyKey);
    if (earlier !== undefined) {
      res.status(202).json({ messageId: earlier.messageId, status: 'queued' });
      return;
    }
    const message: SmsMessage = {
      messageId: newId('msg'),
      to: body.to,
      from: body.from ?? null,
      text: body.text,
      idempotencyKey,
      requestId: requestIdOf(req),
      at: new Date().toISOString(),
    };
    state.messages.push(message);
    res.status(202).json({ messageId: message.messageId, status: 'queued' });
  });

  app.get('/__control', (_req, res) => {
    res.json(state.knobs);
  });

  app.post('/__control', (req, res) => {
    const update = parseOr400(knobsSchema, req.body ?? {}, res, invalidRequest);
    if (update === undefined) return;
    const { seed, ...knobs } = update;
    if (seed !== undefined) random = createRandom(seed);
    Object.assign(state.knobs, knobs);
    res.json(state.knobs);
  });

  app.get('/__messages', (req, res) => {
    // An unencoded '+' in a query string arrives as a space; accept it rather than silently match nothing.
    const to = typeof req.query.to === 'string' ? req.query.to.replace(/^ /, '+') : undefined;
    res.json({ messages: state.messages.filter((message) => to === undefined || message.to === to) });
  });

  // For a developer: the latest codes at a glance (the login and phone-verification texts carry 6 digits).
  app.get('/__inbox', (_req, res) => {
    res.json({
      messages: newestFirst(state.messages).map(({ at, to, text, requestId }) => ({
        at,
        to,
        code: /\b\d{6}\b/.exec(text)?.[0] ?? null,
        text,
        requestId,
      })),
    });
  });

  app.get('/__calls', (_req, res) => {
    res.json({ calls: state.calls });
  });

  app.post('/__reset', (_req, res) => {
    state.knobs = { ...initialKnobs };
    state.messages.length = 0;
    state.calls.length = 0;
    random = createRandom(initialSeed);
    res.json({ reset: true });
  });

  app.use(notFoundJson(smsError('NOT_FOUND')));
  app.use(errorJson(invalidRequest));

  return { app, state, dispose: lifecycle.dispose };
}

export async function startSmsProvider(
  options: SmsProviderOptions & ListenOptions = {},
): Promise<StartedFake<SmsProviderState>> {
  const { port, host, ...smsOptions } = options;
  const { app, state, dispose } = createSmsProviderApp(smsOptions);
  return listenFake(app, dispose, state, { port, host });
}
