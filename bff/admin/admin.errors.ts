import { ConflictError, ForbiddenError, ValidationError } from '../../shared/errors';

/** A date range that ends before it starts, or spans more days than allowed. */
export class InvalidDateRangeError extends ValidationError {
  override readonly code = 'INVALID_DATE_RANGE';
}

/** An admin may not lock themself out: demoting or suspending one's own account is refused. */
export class CannotDemoteSelfError extends ConflictError {
  override readonly code = 'CANNOT_DEMOTE_SELF';
}

export class CannotSuspendSelfError extends ConflictError {
  override readonly code = 'CANNOT_SUSPEND_SELF';
}

/** A cookie-authenticated dashboard write that did not come from the dashboard's own pages. */
export class CrossSiteRequestError extends ForbiddenError {
  override readonly code = 'CSRF_REJECTED';
}
