import { openDashboardSession } from '../api/client';

/**
 * Sets the dashboard cookie, then opens Bull Board in a new tab. The window opens after the call returns,
 * still within the click's user activation; 'blocked' when the browser refused the tab anyway.
 */
export async function openQueueDashboard(): Promise<{ opened: boolean; path: string }> {
  const path = await openDashboardSession();
  const tab = window.open(path, '_blank');
  if (!tab) return { opened: false, path };
  tab.opener = null;
  return { opened: true, path };
}
