/**
 * The console's one way to call the admin API: same origin, through the gateway, with the in-memory access
 * token as a Bearer header. A 401 triggers one refresh and one retry; other errors reach the page as ApiError.
 */
import { ApiError, httpRequest, type HttpResponse, type RequestOptions } from './http';
import { currentAccessToken, refreshSession } from './session';

export { ApiError } from './http';
export type { RequestOptions } from './http';

/** The whole answer (status, headers such as ETag, data). */
export async function apiResponse<T>(
  method: string,
  path: string,
  options: RequestOptions = {},
): Promise<HttpResponse<T>> {
  const call = () => {
    const token = currentAccessToken();
    const headers = { ...options.headers, ...(token ? { Authorization: `Bearer ${token}` } : {}) };
    return httpRequest<T>(method, path, { ...options, headers });
  };
  try {
    return await call();
  } catch (error) {
    if (!(error instanceof ApiError) || error.status !== 401) throw error;
    if (!(await refreshSession())) throw error;
    return await call();
  }
}

/** The answer's JSON body. */
export async function api<T>(method: string, path: string, options: RequestOptions = {}): Promise<T> {
  return (await apiResponse<T>(method, path, options)).data;
}

/** Sets the vm_admin cookie for Bull Board (POST /api/admin/dashboard-session); returns the dashboard path. */
export async function openDashboardSession(): Promise<string> {
  const answer = await api<{ dashboard: string }>('POST', '/api/admin/dashboard-session');
  return answer.dashboard;
}
