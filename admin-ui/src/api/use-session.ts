import { useSyncExternalStore } from 'react';
import { getSessionState, subscribeSession, type SessionState } from './session';

/** The current session (status, user, why signed out), re-rendering on change. */
export function useSession(): SessionState {
  return useSyncExternalStore(subscribeSession, getSessionState);
}
