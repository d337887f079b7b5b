import type { ButtonHTMLAttributes } from 'react';

interface BusyButtonProps extends ButtonHTMLAttributes<HTMLButtonElement> {
  busy?: boolean;
  variant?: 'primary' | 'secondary' | 'danger';
}

/** A button that shows a spinner and stays disabled while its action runs. */
export function BusyButton({
  busy = false,
  variant = 'primary',
  disabled,
  children,
  className,
  ...rest
}: BusyButtonProps) {
  return (
    <button
      type="button"
      {...rest}
      className={`button button-${variant}${className ? ` ${className}` : ''}`}
      disabled={busy || disabled}
      aria-busy={busy || undefined}
    >
      {busy && <span className="spinner" aria-hidden="true" />}
      {children}
    </button>
  );
}
