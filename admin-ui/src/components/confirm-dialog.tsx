import { useEffect, useRef, type ReactNode } from 'react';
import { useI18n } from '../i18n/i18n';
import { BusyButton } from './busy-button';

interface ConfirmDialogProps {
  open: boolean;
  title: string;
  children: ReactNode;
  confirmLabel: string;
  danger?: boolean;
  busy?: boolean;
  onConfirm(): void;
  onCancel(): void;
}

/**
 * A modal confirmation on the native <dialog>: the browser traps focus, Escape cancels, and focus returns to
 * the button that opened it.
 */
export function ConfirmDialog({
  open,
  title,
  children,
  confirmLabel,
  danger,
  busy,
  onConfirm,
  onCancel,
}: ConfirmDialogProps) {
  const { t } = useI18n();
  const ref = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (open && !dialog.open) dialog.showModal();
    if (!open && dialog.open) dialog.close();
  }, [open]);
  return (
    <dialog
      ref={ref}
      className="dialog"
      aria-labelledby="confirm-dialog-title"
      onCancel={(event) => {
        event.preventDefault();
        if (!busy) onCancel();
      }}
    >
      <h2 id="confirm-dialog-title">{title}</h2>
      <div className="dialog-body">{children}</div>
      <div className="dialog-actions">
        <BusyButton variant="secondary" onClick={onCancel} disabled={busy}>
          {t('common.cancel')}
        </BusyButton>
        <BusyButton
          variant={danger ? 'danger' : 'primary'}
          busy={busy}
          onClick={onConfirm}
          data-testid="confirm"
        >
          {confirmLabel}
        </BusyButton>
      </div>
    </dialog>
  );
}
