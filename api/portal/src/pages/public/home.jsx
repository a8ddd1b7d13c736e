// / — what the platform is, in plain words, how refunds work, and the cases.
import { api } from '../../api.js';
import { t } from '../../i18n.js';
import { Link } from '../../router.jsx';
import { Async, PageTitle, useAsync } from '../../components/ui.jsx';
import { CaseCards } from './cases.jsx';

export function Home({ session }) {
  const state = useAsync(() => api.get('/api/v1/cases'), []);
  return (
    <section>
      <PageTitle>{t('home.title')}</PageTitle>
      <p class="home-lead">{t('home.lead')}</p>
      <div class="actions">
        {session ? null : (
          <>
            <Link class="btn btn-primary" href="/register">{t('home.register')}</Link>
            <Link class="btn btn-secondary" href="/login">{t('home.login')}</Link>
          </>
        )}
        <Link class="btn btn-secondary" href="/verify">{t('home.verify')}</Link>
      </div>
      <section class="card" aria-labelledby="home-how-h">
        <h2 id="home-how-h">{t('home.how.title')}</h2>
        <ol class="home-steps">
          <li>{t('home.how.1')}</li>
          <li>{t('home.how.2')}</li>
          <li>{t('home.how.3')}</li>
          <li>{t('home.how.4')}</li>
          <li>{t('home.how.5')}</li>
        </ol>
        <p>{t('home.how.example')}</p>
      </section>
      <section aria-labelledby="home-cases-h">
        <h2 id="home-cases-h">{t('home.cases')}</h2>
        <Async state={state}>{(data) => <CaseCards cases={data.cases || []} />}</Async>
      </section>
    </section>
  );
}
