import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { restoreSession } from './api/session';
import { App } from './app';
import './styles.css';

// A page opened before a new build may ask for a chunk that is gone: load the new build once instead of
// failing (the session comes back from its cookie). The flag stops a loop if the chunk is missing for good.
window.addEventListener('vite:preloadError', (event) => {
  const flag = 'vm_admin_reloaded_for';
  const build = document.querySelector<HTMLScriptElement>('script[type=module][src]')?.src ?? '';
  if (sessionStorage.getItem(flag) === build) return;
  sessionStorage.setItem(flag, build);
  event.preventDefault();
  window.location.reload();
});

void restoreSession();

const root = document.getElementById('root');
if (root) {
  createRoot(root).render(
    <StrictMode>
      <App />
    </StrictMode>,
  );
}
