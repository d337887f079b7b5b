import { useState } from 'react';
import { BusyButton } from '../components/busy-button';
import { ErrorMessage } from '../components/error-message';
import { openQueueDashboard } from '../components/queue-dashboard';
import { useI18n } from '../i18n/i18n';

/** Opens Bull Board (served by the BFF under /admin/queues/) in a new tab, signed in with the vm_admin cookie. */
export default function QueuesPage() {
  const { t } = useI18n();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>();
  const [result, setResult] = useState<{ opened: boolean; path: string }>();

  async function onOpen() {
    setBusy(true);
    setError(undefined);
    try {
      setResult(await openQueueDashboard());
    } catch (caught) {
      setError(caught);
    } finally {
      setBusy(false);
    }
  }

  return (
    <section>
      <h1>{t('queues.title')}</h1>
      <p>{t('queues.description')}</p>
      <ErrorMessage error={error} />
      <BusyButton busy={busy} onClick={onOpen} data-testid="open-queues">
        {t('queues.open')}
      </BusyButton>
      {result?.opened && (
        <p className="notice" role="status">
          {t('queues.opened')}
        </p>
      )}
      {result && !result.opened && (
        <p className="notice" role="status">
          {t('queues.blocked')}{' '}
          <a href={result.path} target="_blank" rel="noopener">
            {result.path}
          </a>
        </p>
      )}
    </section>
  );
}
