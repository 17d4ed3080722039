import { render } from 'preact';
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { type Api, createApi, errorText } from './api';
import {
  type ConsoleConfig,
  cognitoToken,
  type LocalStaff,
  loadConfig,
  localSession,
  localStaff,
  type Session,
  saveLocalStaff,
  signOut,
  startCognitoSignIn,
  tokenSession,
} from './auth';
import { Notice } from './components';
import { DecisionsPage, DetailPage } from './decisions';
import { HealthPage } from './health';
import { InquiriesPage } from './inquiries';
import { QueuePage } from './queue';
import { ReportPage } from './report';
import './styles.css';

/** The staff console: sign-in, the menu and a hash router over the pages. */

interface Me {
  readonly id: string;
  readonly name: string;
  readonly groups: readonly string[];
  readonly canAct: boolean;
}

const PAGES = [
  { path: '/queue', label: '確認待ち' },
  { path: '/inquiries', label: '問い合わせ' },
  { path: '/decisions', label: '判定の検索' },
  { path: '/report', label: '月次報告' },
  { path: '/health', label: '稼働状況' },
] as const;

const useHash = (): string => {
  const [hash, setHash] = useState(location.hash.slice(1) || '/queue');
  useEffect(() => {
    const on = () => setHash(location.hash.slice(1) || '/queue');
    window.addEventListener('hashchange', on);
    return () => window.removeEventListener('hashchange', on);
  }, []);
  return hash;
};

const LocalSignIn = ({ onDone }: { onDone: (staff: LocalStaff) => void }) => {
  const [name, setName] = useState('');
  const [role, setRole] = useState<LocalStaff['role']>('reviewer');
  const [error, setError] = useState<string>();
  return (
    <main id="main" class="signin">
      <h1>職員コンソール（この PC 上の試用環境）</h1>
      <p>記録に残すお名前を一度だけ入力してください。この PC のブラウザに保存されます。</p>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          const trimmed = name.trim();
          if (!/^[\p{L}\p{N}\p{M} ._@-]{1,64}$/u.test(trimmed)) {
            setError('お名前は 64 文字以内の文字・数字で入力してください。');
            return;
          }
          const staff = { name: trimmed, role };
          saveLocalStaff(staff);
          onDone(staff);
        }}
      >
        <div class="field">
          <label for="signin-name">お名前</label>
          <input
            id="signin-name"
            autocomplete="name"
            value={name}
            onInput={(e) => setName((e.currentTarget as HTMLInputElement).value)}
            required
          />
        </div>
        <fieldset>
          <legend>権限</legend>
          <label class="choice">
            <input
              type="radio"
              name="role"
              value="reviewer"
              checked={role === 'reviewer'}
              onChange={() => setRole('reviewer')}
            />
            確認担当（承認・確定・問い合わせの記録ができます）
          </label>
          <label class="choice">
            <input
              type="radio"
              name="role"
              value="viewer"
              checked={role === 'viewer'}
              onChange={() => setRole('viewer')}
            />
            閲覧のみ
          </label>
        </fieldset>
        {error ? <Notice kind="error">{error}</Notice> : null}
        <button type="submit" class="primary">
          はじめる
        </button>
      </form>
    </main>
  );
};

const Shell = ({ api, me, config }: { api: Api; me: Me; config: ConsoleConfig }) => {
  const hash = useHash();
  const [path, search = ''] = hash.split('?');
  const query = useMemo(() => new URLSearchParams(search), [search]);
  const mainRef = useRef<HTMLElement>(null);
  const first = useRef(true);
  useEffect(() => {
    if (first.current) {
      first.current = false;
      return;
    }
    mainRef.current?.focus();
  }, [path]);
  const detail = /^\/comments\/(\d{1,32})$/.exec(path ?? '');
  const page = detail?.[1] ? (
    <DetailPage api={api} commentId={detail[1]} />
  ) : path === '/inquiries' ? (
    <InquiriesPage api={api} canAct={me.canAct} />
  ) : path === '/decisions' ? (
    <DecisionsPage api={api} query={query} />
  ) : path === '/report' ? (
    <ReportPage api={api} />
  ) : path === '/health' ? (
    <HealthPage api={api} />
  ) : (
    <QueuePage api={api} canAct={me.canAct} />
  );
  return (
    <>
      <button type="button" class="skip" onClick={() => mainRef.current?.focus()}>
        本文へ移動
      </button>
      <header class="site no-print">
        <div class="brand">留萌市 Instagram コメント管理</div>
        <div class="user">
          <span>
            {me.name}（{me.canAct ? '確認担当' : '閲覧のみ'}）
          </span>
          <button type="button" onClick={() => signOut(config)}>
            {config.mode === 'local' ? '名前を変える' : 'サインアウト'}
          </button>
        </div>
        <nav aria-label="メインメニュー">
          <ul>
            {PAGES.map((p) => (
              <li key={p.path}>
                <a href={`#${p.path}`} aria-current={path === p.path ? 'page' : undefined}>
                  {p.label}
                </a>
              </li>
            ))}
          </ul>
        </nav>
      </header>
      <main id="main" ref={mainRef} tabIndex={-1}>
        {page}
      </main>
    </>
  );
};

const App = () => {
  const [config, setConfig] = useState<ConsoleConfig>();
  const [session, setSession] = useState<Session | null>();
  const [me, setMe] = useState<Me>();
  const [error, setError] = useState<string>();

  useEffect(() => {
    (async () => {
      const loaded = await loadConfig();
      setConfig(loaded);
      if (loaded.mode === 'local') {
        const staff = localStaff();
        setSession(staff ? localSession(staff) : null);
      } else {
        const token = await cognitoToken(loaded);
        setSession(token ? tokenSession(token) : null);
      }
    })().catch(() => setError('設定を読み込めませんでした。'));
  }, []);

  const api = useMemo(
    () => (config && session ? createApi(config.apiUrl, session) : undefined),
    [config, session],
  );
  useEffect(() => {
    if (!api) return;
    api.get<Me>('/me').then(setMe, (err) => setError(errorText(err)));
  }, [api]);

  if (error)
    return (
      <main id="main">
        <Notice kind="error">{error}</Notice>
      </main>
    );
  if (!config || session === undefined) return <p class="boot">読み込み中…</p>;
  if (session === null) {
    if (config.mode === 'local') return <LocalSignIn onDone={(s) => setSession(localSession(s))} />;
    return (
      <main id="main" class="signin">
        <h1>留萌市 Instagram コメント管理</h1>
        <p>職員アカウントでサインインしてください（多要素認証が必要です）。</p>
        <button type="button" class="primary" onClick={() => void startCognitoSignIn(config)}>
          サインイン
        </button>
      </main>
    );
  }
  if (!api || !me) return <p class="boot">読み込み中…</p>;
  return <Shell api={api} me={me} config={config} />;
};

const root = document.getElementById('app');
if (root) {
  root.textContent = '';
  render(<App />, root);
}
