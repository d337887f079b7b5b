import { createHash } from 'node:crypto';
import type { Request } from 'express';
import type { AppError } from '../../shared/errors';
import { currentRequestId } from '../../shared/tracing';
import type { User } from '../../shared/models/user.model';
import type { TokenPair } from './auth.service';

/**
 * The page a browser lands on at the end of an OAuth login (#20), instead of raw JSON. It is static: no
 * script, no external resource, one stylesheet allowed by its hash. Tokens are sensitive, so the answer is
 * never stored (no-store), never framed, sends no Referer onwards, and keeps the tokens folded away in a
 * <details> block for the developer who is trying the API by hand; a real front end takes the JSON
 * (`Accept: application/json` or `?format=json`) or a browser session.
 */
const STYLE = [
  'body{font:16px/1.5 system-ui,sans-serif;max-width:40rem;margin:3rem auto;padding:0 1rem;color:#1b1f24}',
  'h1{font-size:1.4rem}',
  'pre{white-space:pre-wrap;word-break:break-all;background:#f3f4f6;padding:.75rem;border-radius:.25rem}',
  '.error{color:#b42318}',
].join('');
const STYLE_HASH = createHash('sha256').update(STYLE).digest('base64');

/** The headers of both pages: what makes a page holding tokens safe to show. */
export const LANDING_PAGE_HEADERS: Readonly<Record<string, string>> = {
  'Content-Type': 'text/html; charset=utf-8',
  'Cache-Control': 'no-store',
  Pragma: 'no-cache',
  'Referrer-Policy': 'no-referrer',
  'X-Frame-Options': 'DENY',
  'X-Content-Type-Options': 'nosniff',
  'Content-Security-Policy': [
    "default-src 'none'",
    `style-src 'sha256-${STYLE_HASH}'`,
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; '),
};

/** A browser navigation (it prefers HTML to JSON) that did not ask for JSON explicitly. */
export function wantsLandingPage(req: Request, format: 'json' | 'html' | undefined): boolean {
  if (format !== undefined) return format === 'html';
  return req.accepts(['application/json', 'text/html']) === 'text/html';
}

const escapeHtml = (text: string): string =>
  text.replace(
    /[&<>"']/g,
    (char) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[char] ?? char,
  );

function page(title: string, body: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>${escapeHtml(title)} · Voltmall</title>
<style>${STYLE}</style>
</head>
<body>
${body}
</body>
</html>
`;
}

/** "Signed in as …": who, through which provider, and the tokens folded away for a developer. */
export function signedInPage(
  provider: string,
  user: Pick<User, 'id' | 'email' | 'name'>,
  tokens: TokenPair,
  linked: boolean,
): string {
  const who = user.email ?? user.name ?? `account #${user.id}`;
  const heading = linked ? `${provider} is now linked to ${who}` : `Signed in as ${who}`;
  return page(
    heading,
    `<h1>${escapeHtml(heading)}</h1>
<p>You can close this window.</p>
<details>
<summary>Tokens (for developers trying the API; keep them secret)</summary>
<pre>${escapeHtml(JSON.stringify({ ...tokens }, null, 2))}</pre>
</details>`,
  );
}

/** The login did not finish: our own message and code (never the provider's text). */
export function loginFailedPage(error: AppError): string {
  return page(
    'Sign-in failed',
    `<h1 class="error">Sign-in failed</h1>
<p>${escapeHtml(error.message)}</p>
<p>Code: <code>${escapeHtml(error.code)}</code> · request id: <code>${escapeHtml(currentRequestId() ?? '-')}</code></p>
<p>Start the sign-in again from the shop.</p>`,
  );
}
