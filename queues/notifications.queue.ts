import { appKey } from '../shared/redis';
import { SealedTextError, openSealedText, sealText } from '../shared/sealed-text';
import { HINTED_EXPONENTIAL_BACKOFF, defineQueue, type TracedPayload } from './define-queue';

/** SMS and other user notifications, sent by the notifications worker through external providers. */
export type NotificationJobs = {
  'send-sms': SendSmsPayload;
};

export interface SendSmsPayload extends TracedPayload {
  /** E.164 phone number. */
  to: string;
  /**
   * The message text, sealed (AES-256-GCM under SMS_PAYLOAD_KEY) and bound to `to`: our SMS carry
   * verification codes, and a payload sits in Redis and on the queue dashboard. Built by
   * {@link sealSmsPayload}, read by {@link openSmsText}.
   */
  sealedText: string;
}

/** The payload of an SMS to `to`: its text sealed under `key`, so no code is stored in clear. */
export function sealSmsPayload(
  key: Buffer,
  message: { to: string; text: string; requestId?: string },
): SendSmsPayload {
  return {
    to: message.to,
    sealedText: sealText(key, message.text, message.to),
    requestId: message.requestId,
  };
}

/** The text of an SMS job; throws SealedTextError when the payload was sealed under another key or changed. */
export function openSmsText(key: Buffer, payload: SendSmsPayload): string {
  // A job added by hand (or before texts were sealed) may lack the field: refused like a changed one.
  if (typeof payload.sealedText !== 'string') throw new SealedTextError('the SMS payload has no sealed text');
  return openSealedText(key, payload.sealedText, payload.to);
}

/**
 * The Redis key under which the notifications worker leaves the outcome of SMS job `jobId` (an
 * {@link SmsDeliveryRecord} as JSON, for {@link SMS_DELIVERY_TTL_SECONDS}), so the BFF can tell the user that
 * a code could not be sent, and why.
 */
export function smsDeliveryKey(prefix: string, jobId: string): string {
  return appKey(prefix, 'sms', 'delivery', jobId);
}

/** Longer than a code lives (3 minutes) plus the retries' backoff. */
export const SMS_DELIVERY_TTL_SECONDS = 15 * 60;

/** The outcome of an SMS job; `reason` is for the user and never holds the message text. */
export type SmsDeliveryRecord =
  { status: 'sent'; messageId: string; at: string } | { status: 'failed'; reason: string; at: string };

export const notificationsQueue = defineQueue<NotificationJobs>('notifications', {
  attempts: 5,
  // A provider's Retry-After on a 429/503 sets the floor of the next delay (SmsProviderUnavailableError).
  backoff: { type: HINTED_EXPONENTIAL_BACKOFF, delay: 1000 },
  // A sent SMS leaves nothing behind; a failed one is kept (sealed) for the default week to inspect.
  removeOnComplete: true,
});
