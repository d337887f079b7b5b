import { AppError, ConflictError, UnprocessableError } from '../../shared/errors';

/** An admin write that must say which version it edits (If-Match or `version`) and said neither. */
export class PreconditionRequiredError extends AppError {
  readonly status = 428;
  readonly code = 'PRECONDITION_REQUIRED';
}

export class SkuTakenError extends ConflictError {
  override readonly code = 'SKU_TAKEN';
}

export class ProductDeletedError extends ConflictError {
  override readonly code = 'PRODUCT_DELETED';
}

export class StockWouldBeNegativeError extends ConflictError {
  override readonly code = 'STOCK_WOULD_BE_NEGATIVE';
}

export class StockOutOfRangeError extends ConflictError {
  override readonly code = 'STOCK_OUT_OF_RANGE';
}

export class TooManyImagesError extends ConflictError {
  override readonly code = 'TOO_MANY_IMAGES';
}

export class CategoryNotFoundError extends UnprocessableError {
  override readonly code = 'CATEGORY_NOT_FOUND';
}

export class ImageOrderMismatchError extends UnprocessableError {
  override readonly code = 'IMAGE_ORDER_MISMATCH';
}
