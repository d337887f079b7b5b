import { ApiError } from '../api/http';
import { hasMessage, useI18n, type Translate } from '../i18n/i18n';

/** A human sentence for any error the console meets: known codes are translated, others keep their message. */
export function describeError(error: unknown, t: Translate): { sentence: string; requestId?: string } {
  if (error instanceof ApiError) {
    const key = `error.${error.code}`;
    const sentence = hasMessage(key) ? t(key) : error.message || error.code;
    return { sentence, requestId: error.requestId };
  }
  return { sentence: error instanceof Error ? error.message : String(error) };
}

/** The error as a sentence plus the request id to quote; role=alert so screen readers announce it. */
export function ErrorMessage({ error }: { error: unknown }) {
  const { t } = useI18n();
  if (error === undefined || error === null) return null;
  const { sentence, requestId } = describeError(error, t);
  return (
    <div className="error" role="alert">
      <p className="error-sentence">{sentence}</p>
      {requestId && <p className="error-request-id">{t('error.requestIdLine', { id: requestId })}</p>}
    </div>
  );
}
