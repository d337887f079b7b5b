import { createHash, timingSafeEqual } from 'node:crypto';
import type { RequestHandler } from 'express';
import { UnauthorizedError } from '../../shared/errors';

const digest = (value: string): Buffer => createHash('sha256').update(value).digest();

/**
 * Identity headers are trusted only from the gateway: the shared secret is compared in constant time
 * (hashing first makes the lengths equal), and a request without it is refused before any route runs.
 */
export function gatewayTrust(gatewaySecret: string): RequestHandler {
  const expected = digest(gatewaySecret);
  return (req, _res, next) => {
    const presented = req.get('x-gateway-secret');
    if (presented === undefined || !timingSafeEqual(digest(presented), expected)) {
      next(new UnauthorizedError('Requests must come through the gateway'));
      return;
    }
    const userId = req.get('x-user-id');
    const role = req.get('x-user-role');
    if (userId !== undefined && /^[1-9][0-9]{0,15}$/.test(userId) && (role === 'user' || role === 'admin')) {
      req.identity = { userId: Number(userId), role };
    }
    next();
  };
}
