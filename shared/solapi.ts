/**
 * SOLAPI's request signing and Korean phone number formats: plain functions (no I/O), shared by the adapter,
 * the configuration check of the sender number and the fake that models the API.
 */
import { createHmac, randomBytes } from 'node:crypto';

/**
 * The `Authorization` value SOLAPI expects: `HMAC-SHA256 apiKey=…, date=…, salt=…, signature=…`, where the
 * signature is the hex HMAC-SHA256 of `date + salt` under the API secret. The date is ISO 8601 (SOLAPI
 * refuses one more than 15 minutes off, RequestTimeTooSkewed) and a signature may be used only once within
 * 15 minutes (DuplicatedSignature), so every request gets a fresh salt.
 */
export function solapiAuthorization(
  credentials: { apiKey: string; apiSecret: string },
  date: string,
  salt: string,
) {
  const signature = createHmac('sha256', credentials.apiSecret)
    .update(date + salt)
    .digest('hex');
  return `HMAC-SHA256 apiKey=${credentials.apiKey}, date=${date}, salt=${salt}, signature=${signature}`;
}

/** 32 random characters of [0-9a-f] (SOLAPI wants 12 to 64). */
export function newSalt(): string {
  return randomBytes(16).toString('hex');
}

/** The parts of an `Authorization: HMAC-SHA256 …` header, or undefined when it is not one. */
export function parseSolapiAuthorization(
  header: string | undefined,
): { method: string; apiKey: string; date: string; salt: string; signature: string } | undefined {
  const match = /^(HMAC-SHA256|HMAC-MD5)\s+(.+)$/.exec(header?.trim() ?? '');
  if (!match) return undefined;
  const fields = new Map<string, string>();
  for (const part of match[2]!.split(',')) {
    const [name, ...rest] = part.trim().split('=');
    if (name && rest.length > 0) fields.set(name, rest.join('='));
  }
  const [apiKey, date, salt, signature] = ['apiKey', 'date', 'salt', 'signature'].map((name) =>
    fields.get(name),
  );
  if (!apiKey || !date || !salt || !signature) return undefined;
  return { method: match[1]!, apiKey, date, salt, signature };
}

/** A Korean number as SOLAPI takes it: digits only, domestic form (01012345678, 021234567, 15880000). */
const DOMESTIC_NUMBER = /^(0[0-9]{8,10}|1[5-9][0-9]{6})$/;
/** Mobile numbers (010, 011, 016–019): the only ones that receive SMS. */
const DOMESTIC_MOBILE = /^01[016789][0-9]{7,8}$/;

/**
 * `+8210…` (E.164) or a domestic number with or without hyphens/spaces → digits in domestic form, or
 * undefined when it is not a Korean number. `+82` drops the country code and restores the trunk 0, except
 * for the nationwide 15xx–19xx numbers, which have none (`+8215880000` → `15880000`).
 */
export function toKoreanDomesticNumber(phone: string): string | undefined {
  const compact = phone.replace(/[\s().-]/g, '');
  let digits: string;
  if (compact.startsWith('+82')) {
    const national = compact.slice(3).replace(/^0/, '');
    digits = /^1[5-9]/.test(national) && national.length === 8 ? national : `0${national}`;
  } else if (compact.startsWith('+')) {
    return undefined;
  } else {
    digits = compact;
  }
  return DOMESTIC_NUMBER.test(digits) ? digits : undefined;
}

/** Whether a domestic number (see {@link toKoreanDomesticNumber}) is a mobile one that can receive SMS. */
export function isKoreanMobileNumber(domestic: string): boolean {
  return DOMESTIC_MOBILE.test(domestic);
}

/** SOLAPI's type by length: SMS up to 90 bytes in EUC-KR (a Hangul syllable counts 2), LMS beyond. */
export function solapiMessageType(text: string): 'SMS' | 'LMS' {
  let bytes = 0;
  for (const character of text) bytes += character.charCodeAt(0) < 0x80 ? 1 : 2;
  return bytes <= 90 ? 'SMS' : 'LMS';
}
