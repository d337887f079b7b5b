import { UnrecoverableError, type Job } from 'bullmq';
import type { JobHandlers } from '../../queues/define-queue';
import {
  SMS_DELIVERY_TTL_SECONDS,
  openSmsText,
  smsDeliveryKey,
  type NotificationJobs,
  type SendSmsPayload,
  type SmsDeliveryRecord,
} from '../../queues/notifications.queue';
import type { WorkerContext } from '../context';
import { SmsRefusedError, createSmsClient } from './sms-client';

export function notificationHandlers(ctx: WorkerContext): JobHandlers<NotificationJobs> {
  const sms = createSmsClient({
    baseUrl: ctx.config.SOLAPI_BASE_URL,
    apiKey: ctx.config.SOLAPI_API_KEY,
    apiSecret: ctx.config.SOLAPI_API_SECRET,
    sender: ctx.config.SMS_SENDER,
  });

  const record = (jobId: string, outcome: SmsDeliveryRecord) =>
    ctx.redis.set(
      smsDeliveryKey(ctx.config.REDIS_PREFIX, jobId),
      JSON.stringify(outcome),
      'EX',
      SMS_DELIVERY_TTL_SECONDS,
    );

  /** Sends once per job: SOLAPI takes no idempotency key, so a retry first asks whether an attempt got through. */
  async function sendSms(job: Job<SendSmsPayload>, text: string, reference: string): Promise<string> {
    if (job.attemptsMade > 0) {
      const earlier = await sms.findSent(reference, job.data.to, new Date(job.timestamp - 60_000));
      if (earlier) return earlier.messageId;
    }
    return (await sms.send({ to: job.data.to, text, reference })).messageId;
  }

  return {
    'send-sms': async (job) => {
      const reference = job.id ?? job.name;
      let text: string;
      try {
        text = openSmsText(ctx.config.SMS_PAYLOAD_KEY, job.data);
      } catch (error) {
        // Sealed under another key (rotated) or changed: no retry can open it; the user asks for a new code.
        throw new UnrecoverableError(`SMS text does not open: ${(error as Error).message}`);
      }
      let messageId: string;
      try {
        messageId = await sendSms(job, text, reference);
      } catch (error) {
        if (error instanceof SmsRefusedError) {
          await record(reference, { status: 'failed', reason: error.reason, at: new Date().toISOString() });
          ctx.logger.warn({ providerCode: error.providerCode }, 'sms refused by the provider');
        } else if (job.attemptsMade + 1 >= (job.opts.attempts ?? 1)) {
          // The last attempt: no retry will follow, so the user learns it now rather than never.
          await record(reference, {
            status: 'failed',
            reason: 'the SMS provider could not be reached; ask for a new code later',
            at: new Date().toISOString(),
          });
        }
        throw error;
      }
      await record(reference, { status: 'sent', messageId, at: new Date().toISOString() });
      ctx.logger.info({ messageId }, 'sms sent');
      return { messageId };
    },
  };
}
