import type { JobHandlers } from '../../queues/define-queue';
import type { NotificationJobs } from '../../queues/notifications.queue';
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
      const { messageId } = await sms.send({
        to: job.data.to,
        text: job.data.text,
        idempotencyKey: job.id ?? job.name,
      });
      ctx.logger.info({ messageId }, 'sms sent');
      return { messageId };
    },
  };
}
