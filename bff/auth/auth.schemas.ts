import { z } from 'zod';

export const email = z
  .string()
  .trim()
  .toLowerCase()
  .max(254)
  .pipe(z.email({ message: 'must be an email address' }));

/** 8–128 characters with at least one letter and one digit: long passphrases welcome, trivial ones not. */
export const password = z
  .string()
  .min(8, 'must be at least 8 characters')
  .max(128, 'must be at most 128 characters')
  .refine((value) => /[A-Za-z]/.test(value) && /[0-9]/.test(value), 'must contain a letter and a digit');

/** E.164: + then 8–15 digits, e.g. +821012345678. */
export const phone = z
  .string()
  .trim()
  .regex(/^\+[1-9][0-9]{7,14}$/, 'must be an E.164 number such as +821012345678');

export const signupBody = z.strictObject({
  email,
  password,
  name: z.string().trim().min(1).max(100).optional(),
  phone: phone.optional(),
});

export const loginBody = z.strictObject({
  email,
  password: z.string().min(1).max(128),
});

/** Opaque refresh tokens are 43 base64url characters; anything else is not one of ours. */
export const refreshBody = z.strictObject({
  refreshToken: z.string().regex(/^[A-Za-z0-9_-]{43}$/, 'is not a refresh token'),
});

export const smsSendBody = z.strictObject({ phone: phone.optional() });
export const smsVerifyBody = z.strictObject({ code: z.string().regex(/^[0-9]{6}$/, 'must be 6 digits') });

/** Any name is well-formed here; one that is not a configured provider is a 404 from the OAuth service. */
export const oauthProviderParams = z.strictObject({
  provider: z
    .string()
    .max(40)
    .meta({ description: 'A configured login provider', examples: ['fake'] }),
});
/** The provider named in DELETE /api/users/me/identities/:provider. */
export const oauthUnlinkParams = z.strictObject({
  provider: z
    .string()
    .max(40)
    .meta({ description: 'The provider whose identity to unlink', examples: ['kakao'] }),
});
export const oauthCallbackQuery = z.object({
  state: z.string().min(16).max(128),
  /** json or html: overrides what the Accept header asks for (a browser navigation gets a page). */
  format: z.enum(['json', 'html']).optional(),
  code: z.string().min(1).max(2048).optional(),
  error: z.string().max(200).optional(),
  iss: z.string().max(500).optional(),
});
