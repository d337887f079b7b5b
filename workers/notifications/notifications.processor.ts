import { UnrecoverableError } from 'bullmq';
import type { JobHandlers } from '../../queues/define-queue';
import { openSmsText, type NotificationJobs } from '../../queues/notifications.queue';
import type { WorkerContext } from '../context';
import { createSmsClient } from './sms-client';

export function notificationHandlers(ctx: WorkerContext): JobHandlers<NotificationJobs> {
  const sms = createSmsClient({
    baseUrl: ctx.config.SMS_PROVIDER_URL,
    apiKey: ctx.config.SMS_API_KEY,
    sender: ctx.config.SMS_SENDER,
  });
  return {
    // The job id is the provider's idempotency key: a retry after a lost answer never sends the SMS twice.
    'send-sms': async (job) => {
      let text: string;
      try {
        text = openSmsText(ctx.config.SMS_PAYLOAD_KEY, job.data);
      } catch (error) {
        // Sealed under another key (rotated) or changed: no retry can open it; the user asks for a new code.
        throw new UnrecoverableError(`SMS text does not open: ${(error as Error).message}`);
      }
      const { messageId } = await sms.send({ to: job.data.to, text, idempotencyKey: job.id ?? job.name });
      ctx.logger.info({ messageId }, 'sms sent');
      return { messageId };
    },
  };
}
