/** An unpaired UTF-16 surrogate: in a `u` regular expression a surrogate pair is one code point, not two. */
const UNPAIRED_SURROGATE = /\p{Surrogate}/u;

/**
 * The JSON.parse reviver of request bodies: refuses a key or string that holds an unpaired surrogate
 * (`"\ud800"`). Such text is JSON syntax but no character; I-JSON (RFC 7493) excludes it, and MariaDB's
 * JSON columns (the audit log, product specs) refuse it, which made a 500 of any route that stores what
 * it was given. Thrown here, it becomes the body parser's 400, once for every route.
 */
export function refuseUnpairedSurrogates(key: string, value: unknown): unknown {
  if (UNPAIRED_SURROGATE.test(key) || (typeof value === 'string' && UNPAIRED_SURROGATE.test(value))) {
    throw new SyntaxError('a string holds an unpaired UTF-16 surrogate');
  }
  return value;
}
