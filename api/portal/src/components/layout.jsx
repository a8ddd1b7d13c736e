// The frame around every page: who is signed in, the language switch, the warning against
// scams (on every page, because fake "refund agents" are the commonest harm to claimants)
// and the official ledger key, so a notice or receipt can be checked against it.
import { useEffect, useState } from 'preact/hooks';
import { api } from '../api.js';
import { currentLang, setLang, t } from '../i18n.js';
import { Link, navigate } from '../router.jsx';
import { clearSession, useSession } from '../session.js';

function navFor(role) {
  switch (role) {
    case 'claimant':
      return [['/my', 'nav.my_claims']];
    case 'officer':
    case 'auditor':
      return [['/office', 'nav.office']];
    case 'admin':
      return [
        ['/office', 'nav.office'],
        ['/admin', 'nav.admin'],
      ];
    case 'court':
      return [['/court', 'nav.court']];
    default:
      return [
        ['/login', 'nav.login'],
        ['/register', 'nav.register'],
      ];
  }
}

function LanguageSwitch() {
  const other = currentLang() === 'zh' ? 'en' : 'zh';
  return (
    <button type="button" class="link-button lang-switch" lang={other === 'zh' ? 'zh-CN' : 'en'} onClick={() => setLang(other)}>
      {other === 'zh' ? '中文' : 'English'}
    </button>
  );
}

export function ScamWarning() {
  return (
    <aside class="scam-warning" aria-label={t('scam.label')}>
      <strong>{t('scam.title')}</strong> {t('scam.text')}
    </aside>
  );
}

function OfficialKey() {
  const [key, setKey] = useState(null);
  useEffect(() => {
    let live = true;
    api.get('/api/v1/ledger/key', { as: 'text', timeoutMs: 15000 }).then(
      (text) => live && setKey(text.trim()),
      () => live && setKey(''),
    );
    return () => {
      live = false;
    };
  }, []);
  return (
    <div class="official-key">
      <p>{t('footer.key_intro')}</p>
      <code class="key" data-testid="official-key">
        {key === null ? t('common.loading') : key || t('footer.key_unavailable')}
      </code>
    </div>
  );
}

export function Layout({ children }) {
  const session = useSession();
  const role = session ? session.user.role : null;
  const logout = async () => {
    try {
      await api.post('/api/v1/auth/logout', {});
    } catch {
      // The session is dropped on this device either way.
    }
    clearSession('logout');
    navigate('/');
  };
  return (
    <div class="shell">
      <a class="skip-link" href="#main">
        {t('nav.skip')}
      </a>
      <header class="site-header">
        <div class="header-inner">
          <Link href="/" class="brand">
            {t('app.title')}
          </Link>
          <nav aria-label={t('nav.label')}>
            <ul class="nav-list">
              <li>
                <Link href="/cases">{t('nav.cases')}</Link>
              </li>
              <li>
                <Link href="/verify">{t('nav.verify')}</Link>
              </li>
              {navFor(role).map(([href, key]) => (
                <li key={href}>
                  <Link href={href}>{t(key)}</Link>
                </li>
              ))}
              {session ? (
                <li>
                  <button type="button" class="link-button" onClick={logout}>
                    {t('nav.logout')}
                  </button>
                </li>
              ) : null}
              <li>
                <LanguageSwitch />
              </li>
            </ul>
          </nav>
        </div>
      </header>
      <ScamWarning />
      <main id="main" tabIndex={-1}>
        {children}
      </main>
      <footer class="site-footer">
        <p>{t('scam.footer')}</p>
        <OfficialKey />
      </footer>
    </div>
  );
}
