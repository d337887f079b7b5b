import { AppError, ConflictError, UnauthorizedError, ValidationError } from '../../shared/errors';

/** The callback's state is unknown, expired, spent, for another provider, or was started in another browser. */
export class OAuthStateError extends ValidationError {
  override readonly code = 'OAUTH_STATE_INVALID';
}

/** The provider refused or did not confirm the login (its own text is never passed on). */
export class OAuthFailedError extends UnauthorizedError {
  override readonly code = 'OAUTH_FAILED';
}

/** A first external login whose verified e-mail already has an account: nothing was linked. */
export class AccountExistsError extends ConflictError {
  override readonly code = 'ACCOUNT_EXISTS';
}

export class IdentityLinkedElsewhereError extends ConflictError {
  override readonly code = 'IDENTITY_LINKED_ELSEWHERE';
}

/** Unlinking this identity would leave the account with no way to sign in (no password, no other identity). */
export class LastSignInMethodError extends ConflictError {
  override readonly code = 'LAST_SIGN_IN_METHOD';
}

/** The provider did not answer, timed out or answered 5xx: a retry later may work. */
export class ProviderUnavailableError extends AppError {
  readonly status = 503;
  readonly code = 'PROVIDER_UNAVAILABLE';

  constructor(provider: string, options: { cause?: unknown } = {}) {
    super(`The ${provider} login service is unavailable; try again shortly`, {
      ...options,
      headers: { 'Retry-After': '30' },
    });
  }
}

/** The first ProviderUnavailableError in an error's cause chain (libraries wrap what our fetch threw). */
export function providerUnavailableIn(error: unknown): ProviderUnavailableError | undefined {
  for (let current = error, depth = 0; current instanceof Error && depth < 5; depth += 1) {
    if (current instanceof ProviderUnavailableError) return current;
    current = current.cause;
  }
  return undefined;
}
