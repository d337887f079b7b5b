import { defineQueue, type TracedPayload } from './define-queue';

/** SMS and other user notifications, sent by the notifications worker through external providers. */
export type NotificationJobs = {
  'send-sms': SendSmsPayload;
};

export interface SendSmsPayload extends TracedPayload {
  /** E.164 phone number. */
  to: string;
  text: string;
}

export const notificationsQueue = defineQueue<NotificationJobs>('notifications', {
  attempts: 5,
  backoff: { type: 'exponential', delay: 1000 },
});
