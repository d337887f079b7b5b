import { UnrecoverableError } from 'bullmq';
import {
  newSalt,
  solapiAuthorization,
  toKoreanDomesticNumber,
  isKoreanMobileNumber,
} from '../../shared/solapi';
import { currentRequestId } from '../../shared/tracing';
import { retryAfterMs } from '../../shared/retry-after';

/** What SOLAPI says about one message it took (GET /messages/v4/list). */
export interface SmsDeliveryReport {
  messageId: string;
  /** Domestic digits, as SOLAPI keeps it. */
  to: string;
  /** accepted: with SOLAPI or the carrier (2000, 3000); delivered: on the handset (4000); failed: anything else. */
  status: 'accepted' | 'delivered' | 'failed';
  statusCode: string;
  /** SOLAPI's word for a failure (e.g. 수신거부), null while it is fine. */
  reason: string | null;
  /** What the sender put in `customFields.reference` (the job id), if anything. */
  reference: string | null;
}

/**
 * The SMS provider over HTTP. `send` throws {@link SmsRefusedError} (an UnrecoverableError: no retry) when
 * the provider refuses the message for good, and {@link SmsProviderUnavailableError} (retried by BullMQ,
 * after the provider's Retry-After if it gave one) when the outcome is unknown or the refusal is temporary.
 * Neither carries the message text.
 */
export interface SmsClient {
  send(message: { to: string; text: string; reference: string }): Promise<{ messageId: string }>;
  /** The message sent to `to` since `since` whose reference is `reference`, if the provider has one. */
  findSent(reference: string, to: string, since: Date): Promise<SmsDeliveryReport | undefined>;
  /** The delivery report of one message, or null when the provider does not know it. */
  deliveryReport(messageId: string): Promise<SmsDeliveryReport | null>;
}

/** The provider refused the message and will refuse it again: the user needs to know why. */
export class SmsRefusedError extends UnrecoverableError {
  constructor(
    /** For the user: why the code could not be sent (never the message text). */
    readonly reason: string,
    /** The provider's code (e.g. InvalidAPIKey, or a message status code such as 1062). */
    readonly providerCode: string,
  ) {
    super(`SMS refused by the provider: ${providerCode} ${reason}`);
    this.name = 'SmsRefusedError';
  }
}

/** The outcome is unknown (network, timeout) or the provider asked to come back later (429, 5xx). */
export class SmsProviderUnavailableError extends Error {
  constructor(
    message: string,
    readonly retryAfterMs?: number,
  ) {
    super(message);
    this.name = 'SmsProviderUnavailableError';
  }
}

interface SolapiError {
  errorCode?: string;
  errorMessage?: string;
}

interface SolapiStoredMessage {
  messageId?: string;
  to?: string;
  statusCode?: string;
  statusMessage?: string | null;
  reason?: string | null;
  customFields?: Record<string, string> | null;
}

interface SolapiSendManyDetail {
  failedMessageList?: Array<{ to?: string; statusCode?: string; statusMessage?: string }>;
  groupInfo?: { groupId?: string };
  messageList?: Array<{ messageId?: string; statusCode?: string; statusMessage?: string }>;
}

/** Authentication refusals a fresh signature can get past (a clock step, a salt that came up twice). */
const RETRYABLE_AUTH_CODES = new Set(['RequestTimeTooSkewed', 'DuplicatedSignature']);
/** Our own credentials are wrong: nothing will get through until someone fixes the configuration. */
const CREDENTIAL_CODES = new Set(['InvalidAPIKey', 'SignatureDoesNotMatch']);

function reportOf(message: SolapiStoredMessage): SmsDeliveryReport | undefined {
  if (typeof message.messageId !== 'string') return undefined;
  const statusCode = String(message.statusCode ?? '');
  const status = statusCode === '4000' ? 'delivered' : /^[23]000$/.test(statusCode) ? 'accepted' : 'failed';
  return {
    messageId: message.messageId,
    to: message.to ?? '',
    status,
    statusCode,
    reason: status === 'failed' ? (message.reason ?? message.statusMessage ?? `status ${statusCode}`) : null,
    reference: message.customFields?.reference ?? null,
  };
}

/** SOLAPI (https://solapi.com): HMAC-SHA256 signed calls to its messages v4 API. */
export function createSmsClient(options: {
  baseUrl: string;
  apiKey: string;
  apiSecret: string;
  /** Domestic digits, registered with SOLAPI (validated by shared/config). */
  sender: string;
  timeoutMs?: number;
}): SmsClient {
  async function call(method: 'GET' | 'POST', path: string, body?: unknown): Promise<unknown> {
    let response: Response;
    try {
      response = await fetch(new URL(path, options.baseUrl), {
        method,
        headers: {
          authorization: solapiAuthorization(options, new Date().toISOString(), newSalt()),
          'x-request-id': currentRequestId() ?? '',
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(options.timeoutMs ?? 5000),
      });
    } catch (error) {
      throw new SmsProviderUnavailableError(`SMS provider unreachable: ${(error as Error).name}`);
    }
    const json = (await response.json().catch(() => undefined)) as unknown;
    if (response.ok) return json;
    const { errorCode = `HTTP_${response.status}` } = (json ?? {}) as SolapiError;
    if (response.status === 429 || response.status >= 500 || RETRYABLE_AUTH_CODES.has(errorCode)) {
      throw new SmsProviderUnavailableError(
        `SMS provider answered ${response.status} ${errorCode}`,
        retryAfterMs(response.headers.get('retry-after') ?? undefined),
      );
    }
    if (CREDENTIAL_CODES.has(errorCode)) {
      throw new SmsRefusedError('the shop’s SMS service is misconfigured', errorCode);
    }
    // ValidationError and the like: the same request will be refused again. Its errorMessage may quote our
    // request (the text), so only the code is kept.
    throw new SmsRefusedError('the SMS provider refused the message', errorCode);
  }

  async function list(query: Record<string, string>): Promise<SmsDeliveryReport[]> {
    const json = (await call('GET', `/messages/v4/list?${new URLSearchParams(query).toString()}`)) as {
      messageList?: Record<string, SolapiStoredMessage> | null;
    };
    return Object.values(json?.messageList ?? {}).flatMap((message) => reportOf(message) ?? []);
  }

  return {
    async send({ to, text, reference }) {
      const domestic = toKoreanDomesticNumber(to);
      if (!domestic || !isKoreanMobileNumber(domestic)) {
        throw new SmsRefusedError(
          'only Korean mobile numbers (+8210…) can receive SMS codes',
          'NotKoreanMobile',
        );
      }
      const answer = (await call('POST', '/messages/v4/send-many/detail', {
        messages: [{ to: domestic, from: options.sender, text, customFields: { reference } }],
        showMessageList: true,
      })) as SolapiSendManyDetail | undefined;
      const failed = answer?.failedMessageList?.[0];
      if (failed) {
        const code = String(failed.statusCode ?? 'failed');
        throw new SmsRefusedError(failed.statusMessage?.trim() || `refused (${code})`, code);
      }
      const accepted = answer?.messageList?.[0];
      if (typeof accepted?.messageId !== 'string') {
        throw new SmsProviderUnavailableError('SMS provider answered without a message id');
      }
      return { messageId: accepted.messageId };
    },

    async findSent(reference, to, since) {
      const domestic = toKoreanDomesticNumber(to);
      if (!domestic) return undefined;
      const sent = await list({ to: domestic, startDate: since.toISOString(), limit: '100' });
      return sent.find((message) => message.reference === reference);
    },

    async deliveryReport(messageId) {
      const [report] = await list({ messageId });
      return report ?? null;
    },
  };
}
