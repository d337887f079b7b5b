import { createHmac, randomInt, randomUUID, timingSafeEqual } from 'node:crypto';
import type { BffContext } from '../context';
import {
  NotFoundError,
  TooManyRequestsError,
  UnprocessableError,
  ValidationError,
  unavailableOnFailure,
} from '../../shared/errors';
import { appKey } from '../../shared/redis';
import { currentRequestId } from '../../shared/tracing';
import { usersRepository } from '../users/users.repository';
import { enqueue } from '../http/enqueue';
import { sealSmsPayload, smsDeliveryKey, type SmsDeliveryRecord } from '../../queues/notifications.queue';

const CODE_TTL_SECONDS = 180;
const RESEND_COOLDOWN_SECONDS = 60;
const MAX_ATTEMPTS = 5;

class WrongCodeError extends UnprocessableError {
  override readonly code = 'SMS_CODE_INVALID';
}

/** The provider refused the SMS (bad number, blocked sender, ...): no code will arrive. */
class SmsNotSentError extends UnprocessableError {
  override readonly code = 'SMS_NOT_SENT';
}

/** Where the pending code's SMS is: queued or being retried, handed to the provider, or refused for good. */
export type SmsSendStatus =
  | { status: 'none' }
  | { status: 'sending'; expiresIn: number }
  | { status: 'sent'; expiresIn: number }
  | { status: 'failed'; reason: string };

/**
 * Phone verification by SMS code. The code lives only in Redis, as an HMAC, for 3 minutes; five wrong
 * tries burn it; a new code can be asked for once a minute. Sending goes through the notifications queue,
 * with the message text sealed so the code is in clear nowhere but in the SMS itself.
 */
export function smsVerificationService(ctx: Pick<BffContext, 'db' | 'redis' | 'config' | 'producers'>) {
  const users = usersRepository(ctx.db);
  const prefix = ctx.config.REDIS_PREFIX;
  const codeKey = (userId: number) => appKey(prefix, 'sms', 'code', userId);
  const cooldownKey = (userId: number) => appKey(prefix, 'sms', 'cooldown', userId);
  const digest = (userId: number, code: string) =>
    createHmac('sha256', ctx.config.GATEWAY_SECRET).update(`${userId}:${code}`).digest('hex');

  // Codes live only in Redis: when it is down, these calls answer 503 rather than 500.
  const codeStore = <T>(work: () => Promise<T>) =>
    unavailableOnFailure('The verification code store', 2, work);

  return {
    async sendCode(
      userId: number,
      requestedPhone: string | undefined,
    ): Promise<{ expiresIn: number; resendIn: number }> {
      const user = await users.findById(userId);
      if (!user) throw new NotFoundError('Account not found');
      const phone = requestedPhone ?? user.phone;
      if (!phone) throw new ValidationError('No phone number: pass one in "phone"');

      const code = String(randomInt(0, 1_000_000)).padStart(6, '0');
      // The job id names the SMS: the worker records its outcome under it (smsDeliveryKey).
      const jobId = `sms-${userId}-${randomUUID()}`;
      await codeStore(async () => {
        const cooled = await ctx.redis.set(cooldownKey(userId), '1', 'EX', RESEND_COOLDOWN_SECONDS, 'NX');
        // A code whose SMS was refused never arrived: asking again (say, with a corrected number) need not wait.
        if (cooled === null && !(await previousSmsFailed(userId))) {
          const ttl = await ctx.redis.ttl(cooldownKey(userId));
          throw new TooManyRequestsError('Wait before asking for another code', {
            headers: { 'Retry-After': String(Math.max(ttl, 1)) },
          });
        }
        await ctx.redis
          .multi()
          .del(codeKey(userId))
          .hset(codeKey(userId), { digest: digest(userId, code), phone, jobId, attempts: 0 })
          .expire(codeKey(userId), CODE_TTL_SECONDS)
          .exec();
      });
      await enqueue(() =>
        ctx.producers.notifications.add(
          'send-sms',
          sealSmsPayload(ctx.config.SMS_PAYLOAD_KEY, {
            to: phone,
            text: `[Voltmall] Your verification code is ${code}`,
            requestId: currentRequestId(),
          }),
          { jobId },
        ),
      );
      return { expiresIn: CODE_TTL_SECONDS, resendIn: RESEND_COOLDOWN_SECONDS };
    },

    /** Whether the pending code's SMS went out, and if it could not, why. */
    async sendStatus(userId: number): Promise<SmsSendStatus> {
      return codeStore(async () => {
        const [[, jobId], [, ttl]] = (await ctx.redis
          .multi()
          .hget(codeKey(userId), 'jobId')
          .ttl(codeKey(userId))
          .exec()) as [[Error | null, string | null], [Error | null, number]];
        if (!jobId) return { status: 'none' };
        const delivery = await deliveryOf(jobId);
        if (delivery?.status === 'failed') return { status: 'failed', reason: delivery.reason };
        return { status: delivery?.status === 'sent' ? 'sent' : 'sending', expiresIn: Math.max(ttl, 0) };
      });
    },

    async verifyCode(userId: number, code: string): Promise<{ phone: string }> {
      const phone = await codeStore(() => checkCode(userId, code));
      await users.markPhoneVerified(userId, phone);
      return { phone };
    },
  };

  async function deliveryOf(jobId: string): Promise<SmsDeliveryRecord | undefined> {
    const raw = await ctx.redis.get(smsDeliveryKey(prefix, jobId));
    return raw === null ? undefined : (JSON.parse(raw) as SmsDeliveryRecord);
  }

  async function previousSmsFailed(userId: number): Promise<boolean> {
    const jobId = await ctx.redis.hget(codeKey(userId), 'jobId');
    return jobId !== null && (await deliveryOf(jobId))?.status === 'failed';
  }

  /** Checks a code against the pending one; returns the phone it was sent to, and spends the code. */
  async function checkCode(userId: number, code: string): Promise<string> {
    const key = codeKey(userId);
    const jobId = await ctx.redis.hget(key, 'jobId');
    const delivery = jobId ? await deliveryOf(jobId) : undefined;
    if (delivery?.status === 'failed') {
      // No guess can be right: say why, without spending one of the user's attempts.
      throw new SmsNotSentError(`The code could not be sent: ${delivery.reason}. Ask for a new one`, {
        details: { reason: delivery.reason },
      });
    }
    // Count the attempt before comparing, atomically, so parallel guesses cannot exceed the limit.
    const [[, attempts], [, stored]] = (await ctx.redis
      .multi()
      .hincrby(key, 'attempts', 1)
      .hgetall(key)
      .exec()) as [[Error | null, number], [Error | null, Record<string, string>]];
    if (!stored.digest || !stored.phone) {
      await ctx.redis.del(key);
      throw new WrongCodeError('No code is pending or it expired; ask for a new one');
    }
    if (attempts > MAX_ATTEMPTS) {
      await ctx.redis.del(key);
      throw new TooManyRequestsError('Too many wrong codes; ask for a new one');
    }
    const expected = Buffer.from(stored.digest, 'hex');
    const actual = Buffer.from(digest(userId, code), 'hex');
    if (!timingSafeEqual(expected, actual)) {
      throw new WrongCodeError('The code is wrong', { details: { attemptsLeft: MAX_ATTEMPTS - attempts } });
    }
    await ctx.redis.del(key);
    return stored.phone;
  }
}
