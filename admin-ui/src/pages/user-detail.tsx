import { useState } from 'react';
import { Link, useParams } from 'wouter';
import { api } from '../api/client';
import type { AdminUser, AdminUserDetail, Role } from '../api/types';
import { useApiData } from '../api/use-api';
import { useSession } from '../api/use-session';
import { BusyButton } from '../components/busy-button';
import { ConfirmDialog } from '../components/confirm-dialog';
import { ErrorMessage } from '../components/error-message';
import { formatCount, formatDateTime, formatWon } from '../components/format';
import { useI18n } from '../i18n/i18n';

type PendingAction = { kind: 'role'; role: Role } | { kind: 'suspend' } | { kind: 'reactivate' };

/** One user: totals, live logins; change role, suspend, reactivate, each after a confirmation. */
export default function UserDetailPage() {
  const { t, language } = useI18n();
  const { id } = useParams<{ id: string }>();
  const session = useSession();
  const detail = useApiData(
    (signal) => api<AdminUserDetail>('GET', `/api/admin/users/${encodeURIComponent(id)}`, { signal }),
    id,
  );
  const [role, setRole] = useState<Role | ''>('');
  const [pending, setPending] = useState<PendingAction | null>(null);
  const [busy, setBusy] = useState(false);
  const [actionError, setActionError] = useState<unknown>();
  const [notice, setNotice] = useState<string>();

  const user = detail.data?.user;
  const isSelf = user !== undefined && session.user?.id === user.id;
  const chosenRole: Role = role || user?.role || 'user';

  async function onConfirm() {
    if (!pending || !user) return;
    setBusy(true);
    setActionError(undefined);
    setNotice(undefined);
    try {
      const path = `/api/admin/users/${user.id}`;
      if (pending.kind === 'role') {
        await api<{ user: AdminUser }>('PATCH', path, { body: { role: pending.role } });
        setNotice(t('users.roleChanged'));
      } else if (pending.kind === 'suspend') {
        const answer = await api<{ revokedSessions: number }>('POST', `${path}/suspend`);
        setNotice(t('users.suspended', { count: answer.revokedSessions }));
      } else {
        await api('POST', `${path}/reactivate`);
        setNotice(t('users.reactivated'));
      }
      setRole('');
      detail.reload();
    } catch (caught) {
      setActionError(caught);
    } finally {
      setBusy(false);
      setPending(null);
    }
  }

  const confirmText = (): string => {
    if (!pending || !user) return '';
    if (pending.kind === 'role')
      return t('users.confirmRole', { email: user.email, role: t(`users.role.${pending.role}`) });
    if (pending.kind === 'suspend') return t('users.confirmSuspend', { email: user.email });
    return t('users.confirmReactivate', { email: user.email });
  };

  return (
    <section>
      <p>
        <Link href="/users">{t('users.back')}</Link>
      </p>
      <ErrorMessage error={detail.error} />
      {!detail.data && !detail.error && <p role="status">{t('common.loading')}</p>}
      {detail.data && user && (
        <>
          <h1 data-testid="user-email">{user.email}</h1>
          <dl className="facts">
            <dt>{t('users.name')}</dt>
            <dd>{user.name ?? '—'}</dd>
            <dt>{t('users.phone')}</dt>
            <dd>{user.phone ?? '—'}</dd>
            <dt>{t('users.role')}</dt>
            <dd data-testid="user-role">{t(`users.role.${user.role}`)}</dd>
            <dt>{t('users.status')}</dt>
            <dd>
              <span className={`badge badge-${user.status}`} data-testid="user-status">
                {t(`users.status.${user.status}`)}
              </span>
            </dd>
            <dt>{t('users.joined')}</dt>
            <dd>{formatDateTime(user.createdAt, language)}</dd>
            <dt>{t('users.ordersCount')}</dt>
            <dd>{formatCount(detail.data.orders.placed)}</dd>
            <dt>{t('users.confirmedOrders')}</dt>
            <dd>{formatCount(detail.data.orders.confirmed)}</dd>
            <dt>{t('users.totalSpent')}</dt>
            <dd>{formatWon(detail.data.orders.totalSpent)}</dd>
            <dt>{t('users.lastOrder')}</dt>
            <dd>{formatDateTime(detail.data.orders.lastOrderAt, language)}</dd>
            <dt>{t('users.liveLogins')}</dt>
            <dd data-testid="user-sessions">{formatCount(detail.data.activeSessions)}</dd>
          </dl>

          {notice && (
            <p className="notice" role="status">
              {notice}
            </p>
          )}
          <ErrorMessage error={actionError} />
          {isSelf && <p className="hint">{t('users.self')}</p>}

          <div className="actions">
            <label className="field field-inline">
              <span>{t('users.changeRole')}</span>
              <select
                value={chosenRole}
                onChange={(event) => setRole(event.target.value as Role)}
                disabled={isSelf}
              >
                <option value="user">{t('users.role.user')}</option>
                <option value="admin">{t('users.role.admin')}</option>
              </select>
            </label>
            <BusyButton
              variant="secondary"
              disabled={isSelf || chosenRole === user.role}
              onClick={() => setPending({ kind: 'role', role: chosenRole })}
            >
              {t('users.applyRole')}
            </BusyButton>
            {user.status === 'active' ? (
              <BusyButton
                variant="danger"
                disabled={isSelf}
                onClick={() => setPending({ kind: 'suspend' })}
                data-testid="suspend"
              >
                {t('users.suspend')}
              </BusyButton>
            ) : (
              <BusyButton
                variant="primary"
                onClick={() => setPending({ kind: 'reactivate' })}
                data-testid="reactivate"
              >
                {t('users.reactivate')}
              </BusyButton>
            )}
          </div>
          <ConfirmDialog
            open={pending !== null}
            title={
              pending?.kind === 'suspend'
                ? t('users.suspend')
                : pending?.kind === 'reactivate'
                  ? t('users.reactivate')
                  : t('users.changeRole')
            }
            confirmLabel={t('common.confirm')}
            danger={pending?.kind === 'suspend'}
            busy={busy}
            onConfirm={onConfirm}
            onCancel={() => setPending(null)}
          >
            <p>{confirmText()}</p>
          </ConfirmDialog>
        </>
      )}
    </section>
  );
}
