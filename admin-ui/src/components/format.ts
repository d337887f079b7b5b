/** Money in won and dates in the shop's time zone, the same everywhere in the console. */
import { SHOP_TIME_ZONE } from '../config';
import type { Language } from '../i18n/i18n';

const won = new Intl.NumberFormat('ko-KR', { style: 'currency', currency: 'KRW' });
const count = new Intl.NumberFormat('ko-KR');

/** 1234000 → "₩1,234,000" (the API's money is an integer number of won). */
export function formatWon(amount: number): string {
  return won.format(amount);
}

export function formatCount(value: number): string {
  return count.format(value);
}

/** An ISO instant as a date and time in the shop's zone, e.g. "2026. 12. 4. 오후 3:05". */
export function formatDateTime(iso: string | null | undefined, language: Language): string {
  if (!iso) return '—';
  return new Intl.DateTimeFormat(language === 'ko' ? 'ko-KR' : 'en-GB', {
    timeZone: SHOP_TIME_ZONE,
    dateStyle: 'medium',
    timeStyle: 'short',
  }).format(new Date(iso));
}

/** The calendar day (YYYY-MM-DD) of an instant in a time zone. */
export function dayInZone(instant: Date, timeZone = SHOP_TIME_ZONE): string {
  return new Intl.DateTimeFormat('en-CA', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).format(instant);
}

/** YYYY-MM-DD plus `days` (calendar arithmetic, no time zone involved). */
export function addDays(day: string, days: number): string {
  const date = new Date(`${day}T00:00:00Z`);
  date.setUTCDate(date.getUTCDate() + days);
  return date.toISOString().slice(0, 10);
}
