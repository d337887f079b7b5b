import type { Request } from 'express';
import { ForbiddenError, UnauthorizedError } from '../../shared/errors';

/** The verified caller, as the gateway forwards it after checking the access token. */
export interface Identity {
  userId: number;
  role: 'user' | 'admin';
}

declare module 'express-serve-static-core' {
  interface Request {
    identity?: Identity;
  }
}

export function requireUser(req: Request): Identity {
  if (!req.identity)
    throw new UnauthorizedError('Sign in to use this endpoint', {
      headers: { 'WWW-Authenticate': 'Bearer realm="voltmall"' },
    });
  return req.identity;
}

/** Defence in depth: the gateway already enforces the admin role on admin paths. */
export function requireAdmin(req: Request): Identity {
  const identity = requireUser(req);
  if (identity.role !== 'admin') throw new ForbiddenError('Admin role required');
  return identity;
}
