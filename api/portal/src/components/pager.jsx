// Previous / "page n of m" / next under a paged list; nothing when it all fits on one page.
// busy disables both buttons while the next page loads, so a double press does not skip one.
import { t } from '../i18n.js';
import { Button } from './ui.jsx';

export function Pager({ page, pages, onPage, busy }) {
  if (pages <= 1) return null;
  return (
    <nav class="actions pager" aria-label={t('pager.label')}>
      <Button variant="secondary" disabled={page <= 1 || busy} onClick={() => onPage(page - 1)}>
        {t('pager.prev')}
      </Button>
      <span>{t('pager.page', { page, pages })}</span>
      <Button variant="secondary" disabled={page >= pages || busy} onClick={() => onPage(page + 1)}>
        {t('pager.next')}
      </Button>
    </nav>
  );
}
