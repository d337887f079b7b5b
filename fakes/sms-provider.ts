/**
 * A fake SMS provider shaped like SOLAPI's messages v4 API (https://solapi.com): HMAC-SHA256 signed requests
 * (date within 15 minutes, each signature used once), `POST /messages/v4/send-many/detail` with its
 * `groupInfo` / `failedMessageList` / `messageList` answer, `GET /messages/v4/list` for delivery reports,
 * pre-registered sender numbers, and knobs for temporary (5xx, 429) and permanent (refused number,
 * unregistered sender) failures. Tests and developers read the texts back at `/__messages` and `/__inbox`.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import type express from 'express';
import { z } from 'zod';
import { createFakeApp, serveControlRoutes } from './fake-app';
import {
  type CallLogOptions,
  type CallRecord,
  type ListenOptions,
  type StartedFake,
  answerServerError,
  answerThrottled,
  createLifecycle,
  createRandom,
  errorJson,
  listenFake,
  notFoundJson,
  newestFirst,
  parseOr400,
  requestIdOf,
  waitLatency,
} from './fake-server';
import {
  isKoreanMobileNumber,
  parseSolapiAuthorization,
  solapiAuthorization,
  solapiMessageType,
  toKoreanDomesticNumber,
} from '../shared/solapi';

/** The local fake's credentials (shared/config's defaults for SOLAPI_API_KEY / SOLAPI_API_SECRET). */
export const DEFAULT_SOLAPI_API_KEY = 'NCSVOLTMALLLOCAL';
export const DEFAULT_SOLAPI_API_SECRET = 'voltmall-local-solapi-secret';
/** SOLAPI refuses a date more than this far from its clock, and a signature seen within it. */
const SIGNATURE_WINDOW_MS = 15 * 60 * 1000;

/**
 * Per-message status codes this fake uses. 2000/3000/4000 are SOLAPI's "accepted", "handed to the carrier"
 * and "received"; the refusal codes are the fake's stand-ins for SOLAPI's (see docs/providers.md).
 */
export const SOLAPI_STATUS = {
  accepted: '2000',
  received: '4000',
  badNumber: '1022',
  unregisteredSender: '1062',
  refusedNumber: '3059',
} as const;

export interface SmsProviderKnobs {
  /** Delay before every API answer. */
  latencyMs: number;
  /** Probability (0..1) that an API call answers 500/503 and records nothing. */
  errorRate: number;
  /** The next this many API calls answer 429 TooManyRequests with `Retry-After`, doing nothing. */
  throttleNextCalls: number;
  /** The `Retry-After` seconds of those 429 answers. */
  throttleRetryAfterSeconds: number;
  /** Sender numbers registered with the account (domestic digits); any other sender is refused. */
  registeredSenders: string[];
  /** Recipients (domestic digits) whose messages are refused (blocked / opted out). */
  refusedNumbers: string[];
  /** The next this many sends are carried out, then the connection is destroyed unanswered (a lost answer). */
  lostResponseNextSends: number;
}

export interface SmsProviderOptions extends Partial<SmsProviderKnobs>, CallLogOptions {
  apiKey?: string;
  apiSecret?: string;
  /** PRNG seed for errorRate. Default 1. */
  seed?: number;
}

export interface SmsMessage {
  messageId: string;
  groupId: string;
  /** Domestic digits, as sent. */
  to: string;
  from: string;
  text: string;
  type: 'SMS' | 'LMS';
  statusCode: string;
  customFields: Record<string, string>;
  requestId: string | null;
  at: string;
}

export interface SmsProviderState {
  knobs: SmsProviderKnobs;
  messages: SmsMessage[];
  calls: CallRecord[];
  /** Signatures seen within the window, with when they expire. */
  usedSignatures: Map<string, number>;
}

const knobsSchema = z.strictObject({
  latencyMs: z.int().min(0).max(600_000).optional(),
  errorRate: z.number().min(0).max(1).optional(),
  throttleNextCalls: z.int().min(0).max(1_000_000).optional(),
  throttleRetryAfterSeconds: z.int().min(1).max(3600).optional(),
  registeredSenders: z.array(z.string().regex(/^[0-9]{8,11}$/)).optional(),
  refusedNumbers: z.array(z.string().regex(/^[0-9]{8,11}$/)).optional(),
  lostResponseNextSends: z.int().min(0).max(1_000_000).optional(),
  seed: z.int().optional(),
});

const sendManyBodySchema = z.object({
  messages: z
    .array(
      z.object({
        to: z.string().min(1).max(20),
        from: z.string().min(1).max(20),
        text: z.string().min(1).max(2000),
        type: z.enum(['SMS', 'LMS']).optional(),
        country: z.string().optional(),
        customFields: z.record(z.string(), z.string()).optional(),
      }),
    )
    .min(1)
    .max(10_000),
  showMessageList: z.boolean().optional(),
  allowDuplicates: z.boolean().optional(),
});

const solapiError = (errorCode: string) => (errorMessage: string) => ({ errorCode, errorMessage });
const validationError = solapiError('ValidationError');

/** SOLAPI's ids: a prefix, the time and random capitals (e.g. M4V20261204…). */
function solapiId(prefix: 'M4V' | 'G4V'): string {
  const time = new Date().toISOString().replace(/\D/g, '').slice(0, 14);
  const random = randomBytes(12)
    .toString('base64')
    .replace(/[^A-Za-z0-9]/g, '')
    .toUpperCase();
  return `${prefix}${time}${random}`.slice(0, 32).padEnd(32, 'X');
}

/** `to` as a filter: domestic digits, from E.164 or domestic, with '+' possibly arriving as a space. */
function numberFilter(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  const phone = value.replace(/^ /, '+');
  return toKoreanDomesticNumber(phone) ?? phone;
}

export function createSmsProviderApp(options: SmsProviderOptions = {}): {
  app: express.Express;
  state: SmsProviderState;
  dispose(): void;
} {
  const apiKey = options.apiKey ?? DEFAULT_SOLAPI_API_KEY;
  const apiSecret = options.apiSecret ?? DEFAULT_SOLAPI_API_SECRET;
  const initialKnobs: SmsProviderKnobs = {
    latencyMs: options.latencyMs ?? 0,
    errorRate: options.errorRate ?? 0,
    throttleNextCalls: options.throttleNextCalls ?? 0,
    throttleRetryAfterSeconds: options.throttleRetryAfterSeconds ?? 1,
    registeredSenders: [...(options.registeredSenders ?? ['15880000'])],
    refusedNumbers: [...(options.refusedNumbers ?? [])],
    lostResponseNextSends: options.lostResponseNextSends ?? 0,
  };
  knobsSchema.parse({ ...initialKnobs, seed: options.seed });
  const initialSeed = options.seed ?? 1;
  let random = createRandom(initialSeed);
  const lifecycle = createLifecycle();
  const state: SmsProviderState = {
    knobs: structuredClone(initialKnobs),
    messages: [],
    calls: [],
    usedSignatures: new Map(),
  };

  /** The documented authentication checks, in SOLAPI's order; undefined when the request may pass. */
  function authenticationError(header: string | undefined): { status: number; body: object } | undefined {
    const auth = parseSolapiAuthorization(header);
    if (!auth || auth.method !== 'HMAC-SHA256') {
      return {
        status: 401,
        body: solapiError('InvalidAuthorizationHeader')(
          'Authorization: HMAC-SHA256 apiKey=<key>, date=<ISO 8601>, salt=<12-64 chars>, signature=<hex>',
        ),
      };
    }
    if (auth.apiKey !== apiKey) {
      return { status: 403, body: solapiError('InvalidAPIKey')('유효한 API Key가 아닙니다.') };
    }
    const date = Date.parse(auth.date);
    if (!Number.isFinite(date) || Math.abs(Date.now() - date) > SIGNATURE_WINDOW_MS) {
      return {
        status: 403,
        body: solapiError('RequestTimeTooSkewed')('시간 값이 서버 시간을 15분 이상 벗어났습니다.'),
      };
    }
    const expected = Buffer.from(
      parseSolapiAuthorization(solapiAuthorization({ apiKey, apiSecret }, auth.date, auth.salt))!.signature,
    );
    const given = Buffer.from(auth.signature);
    if (
      auth.salt.length < 12 ||
      auth.salt.length > 64 ||
      given.length !== expected.length ||
      !timingSafeEqual(given, expected)
    ) {
      return { status: 403, body: solapiError('SignatureDoesNotMatch')('Signature가 일치하지 않습니다.') };
    }
    const now = Date.now();
    for (const [signature, expires] of state.usedSignatures)
      if (expires < now) state.usedSignatures.delete(signature);
    if (state.usedSignatures.has(auth.signature)) {
      return {
        status: 403,
        body: solapiError('DuplicatedSignature')('15분 안에 같은 Signature가 사용되었습니다.'),
      };
    }
    state.usedSignatures.set(auth.signature, now + SIGNATURE_WINDOW_MS);
    return undefined;
  }

  const app = createFakeApp({ calls: state.calls, onCallEnd: options.onCallEnd, jsonLimit: '1mb' });

  app.use('/messages/v4', async (req, res, next) => {
    const refusal = authenticationError(req.get('authorization'));
    if (refusal) {
      res.status(refusal.status).json(refusal.body);
      return;
    }
    if (!(await waitLatency(req, state.knobs.latencyMs, lifecycle.shutdownSignal))) return;
    const throttled = solapiError('TooManyRequests')('요청이 너무 많습니다. 잠시 후 다시 시도해 주세요.');
    if (answerThrottled(res, state.knobs, throttled)) return;
    const serverErrors = {
      unavailable: solapiError('ServiceUnavailable')('일시적으로 서비스를 이용할 수 없습니다.'),
      internal: solapiError('InternalError')('내부 오류가 발생했습니다.'),
    };
    if (answerServerError(res, random, state.knobs.errorRate, serverErrors)) return;
    next();
  });

  app.post('/messages/v4/send-many/detail', (req, res) => {
    const body = parseOr400(sendManyBodySchema, req.body, res, validationError);
    if (body === undefined) return;
    const groupId = solapiId('G4V');
    const at = new Date().toISOString();
    const failedMessageList: object[] = [];
    const messageList: object[] = [];
    for (const message of body.messages) {
      const to = message.to.replace(/-/g, '');
      const from = message.from.replace(/-/g, '');
      const type = message.type ?? solapiMessageType(message.text);
      const refusal = !isKoreanMobileNumber(to)
        ? { statusCode: SOLAPI_STATUS.badNumber, statusMessage: '수신번호 형식 오류' }
        : !state.knobs.registeredSenders.includes(from)
          ? { statusCode: SOLAPI_STATUS.unregisteredSender, statusMessage: '발신번호 미등록' }
          : state.knobs.refusedNumbers.includes(to)
            ? { statusCode: SOLAPI_STATUS.refusedNumber, statusMessage: '수신거부 또는 차단된 번호' }
            : undefined;
      const messageId = solapiId('M4V');
      if (refusal) {
        failedMessageList.push({
          to,
          from,
          type,
          country: '82',
          messageId,
          accountId: 'voltmall-fake',
          customFields: message.customFields ?? {},
          ...refusal,
        });
        continue;
      }
      state.messages.push({
        messageId,
        groupId,
        to,
        from,
        text: message.text,
        type,
        // Handed over and received at once: the fake has no carrier to wait for.
        statusCode: SOLAPI_STATUS.received,
        customFields: message.customFields ?? {},
        requestId: requestIdOf(req),
        at,
      });
      messageList.push({
        messageId,
        statusCode: SOLAPI_STATUS.accepted,
        statusMessage: '정상 접수(이통사로 접수 예정) ',
        customFields: message.customFields ?? {},
      });
    }
    const registeredSuccess = messageList.length;
    if (state.knobs.lostResponseNextSends > 0) {
      state.knobs.lostResponseNextSends -= 1;
      req.socket.destroy();
      return;
    }
    res.json({
      failedMessageList,
      groupInfo: {
        groupId,
        status: registeredSuccess > 0 ? 'SENDING' : 'FAILED',
        count: {
          total: body.messages.length,
          sentTotal: 0,
          sentFailed: 0,
          sentSuccess: 0,
          sentPending: registeredSuccess,
          registeredFailed: failedMessageList.length,
          registeredSuccess,
        },
        dateCreated: at,
        dateUpdated: at,
      },
      ...(body.showMessageList ? { messageList } : {}),
    });
  });

  app.get('/messages/v4/list', (req, res) => {
    const query = req.query;
    // The plain parameters, or the older criteria=messageId&cond=eq&value=… form.
    const criteria = typeof query.criteria === 'string' ? query.criteria.split(',') : [];
    const values = typeof query.value === 'string' ? query.value.split(',') : [];
    const legacy = Object.fromEntries(criteria.map((name, index) => [name, values[index]]));
    const messageId = typeof query.messageId === 'string' ? query.messageId : legacy.messageId;
    const to = numberFilter(query.to ?? legacy.to);
    const startDate = typeof query.startDate === 'string' ? Date.parse(query.startDate) : undefined;
    if (startDate !== undefined && !Number.isFinite(startDate)) {
      res.status(400).json(validationError('startDate must be an ISO 8601 date'));
      return;
    }
    const limit = Math.min(Math.max(Number(query.limit ?? 20) || 20, 1), 500);
    const found = state.messages
      .filter(
        (message) =>
          (messageId === undefined || message.messageId === messageId) &&
          (to === undefined || message.to === to) &&
          (startDate === undefined || Date.parse(message.at) >= startDate),
      )
      .slice(0, limit);
    res.json({
      startKey: null,
      nextKey: null,
      limit,
      messageList: Object.fromEntries(
        found.map((message) => [
          message.messageId,
          {
            _id: message.messageId,
            messageId: message.messageId,
            groupId: message.groupId,
            accountId: 'voltmall-fake',
            type: message.type,
            country: '82',
            to: message.to,
            from: message.from,
            text: message.text,
            statusCode: message.statusCode,
            reason: null,
            customFields: message.customFields,
            dateCreated: message.at,
            dateUpdated: message.at,
            dateReceived: message.at,
          },
        ]),
      ),
    });
  });

  serveControlRoutes(app, {
    schema: knobsSchema,
    errorBody: validationError,
    view: () => state.knobs,
    apply({ seed, ...knobs }) {
      if (seed !== undefined) random = createRandom(seed);
      Object.assign(state.knobs, knobs);
    },
    reset() {
      state.knobs = structuredClone(initialKnobs);
      state.messages.length = 0;
      state.usedSignatures.clear();
      random = createRandom(initialSeed);
    },
    calls: state.calls,
  });

  // `to` may be given as +82… or in domestic digits.
  app.get('/__messages', (req, res) => {
    const to = numberFilter(req.query.to);
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

  app.use(notFoundJson(solapiError('NotFound')));
  app.use(errorJson(validationError));

  return { app, state, dispose: lifecycle.dispose };
}

export async function startSmsProvider(
  options: SmsProviderOptions & ListenOptions = {},
): Promise<StartedFake<SmsProviderState>> {
  const { port, host, ...smsOptions } = options;
  const { app, state, dispose } = createSmsProviderApp(smsOptions);
  return listenFake(app, dispose, state, { port, host });
}
