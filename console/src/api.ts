import type { Session } from './auth';

/** The review API as the console calls it. Errors keep the house shape `{ error, message }`. */

class ApiError extends Error {
  override name = 'ApiError';
  constructor(
    readonly status: number,
    readonly code: string,
  ) {
    super(`${status} ${code}`);
  }
}

interface Api {
  get<T>(path: string): Promise<T>;
  post<T>(path: string, body: unknown): Promise<T>;
  /** For downloads (CSV): the raw response body. */
  blob(path: string): Promise<Blob>;
}

const createApi = (baseUrl: string, session: Session): Api => {
  const call = async (path: string, init: RequestInit = {}): Promise<Response> => {
    const response = await fetch(`${baseUrl}${path}`, {
      ...init,
      headers: { ...session.headers, ...(init.body ? { 'content-type': 'application/json' } : {}) },
      cache: 'no-store',
    });
    if (!response.ok) {
      const body = (await response.json().catch(() => ({}))) as { error?: string };
      throw new ApiError(response.status, body.error ?? 'internal');
    }
    return response;
  };
  return {
    get: async <T>(path: string) => (await (await call(path)).json()) as T,
    post: async <T>(path: string, body: unknown) =>
      (await (await call(path, { method: 'POST', body: JSON.stringify(body) })).json()) as T,
    blob: async (path: string) => (await call(path)).blob(),
  };
};

/** What staff read when a call fails, by the house error codes. */
const ERROR_TEXT: Record<string, string> = {
  unauthorized: 'サインインが必要です。',
  forbidden: 'この操作の権限がありません（閲覧のみの権限です）。',
  not_found: '見つかりません。削除されたか、保存期間を過ぎた可能性があります。',
  conflict: 'ほかの職員が先に操作しました。',
  bad_request: '入力内容を確認してください。',
  payload_too_large: '入力が長すぎます。',
  method_not_allowed: 'この操作はできません。',
  internal: 'サーバーで問題が起きました。時間をおいてもう一度お試しください。',
};

const errorText = (error: unknown): string =>
  error instanceof ApiError
    ? (ERROR_TEXT[error.code] ?? ERROR_TEXT.internal ?? '')
    : '通信できませんでした。ネットワークを確認してください。';

export type { Api };
export { ApiError, createApi, errorText };
