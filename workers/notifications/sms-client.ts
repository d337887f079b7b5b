import { UnrecoverableError } from 'bullmq';
import { currentRequestId } from '../../shared/tracing';

/** The SMS provider over HTTP. 4xx answers are permanent (no retry); timeouts and 5xx are retried by BullMQ. */
export interface SmsClient {
  send(message: { to: string; text: string; idempotencyKey: string }): Promise<{ messageId: string }>;
}

export function createSmsClient(options: {
  baseUrl: string;
  apiKey: string;
  sender: string;
  timeoutMs?: number;
}): SmsClient {
  return {
    async send({ to, text, idempotencyKey }) {
      const response = await fetch(new URL('/v1/messages', options.baseUrl), {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          authorization: `Bearer ${options.apiKey}`,
          'x-request-id': currentRequestId() ?? '',
          'idempotency-key': idempotencyKey,
        },
        body: JSON.stringify({ to, text, from: options.sender }),
        signal: AbortSignal.timeout(options.timeoutMs ?? 5000),
      });
      const body = (await response.json().catch(() => ({}))) as { messageId?: string };
      if (response.status >= 400 && response.status < 500 && response.status !== 429) {
        throw new UnrecoverableError(`SMS provider refused the message: HTTP ${response.status}`);
      }
      if (!response.ok || typeof body.messageId !== 'string') {
        throw new Error(`SMS provider failed: HTTP ${response.status}`);
      }
      return { messageId: body.messageId };
    },
  };
}
