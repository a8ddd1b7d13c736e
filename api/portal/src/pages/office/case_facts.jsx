// The facts of a case as the administrator set them: the same list on the officer's
// dashboard and on the admin's case page.
import { Money, StatusBadge } from '../../components/ui.jsx';
import { formatDate, t } from '../../i18n.js';
import { caseRegionName, regionWithCode } from '../../regions.js';


// statusTestId: the hook a browser test reads the case's status by (data-status too).
export function CaseFacts({ c, statusTestId }) {
  return (
    <dl class="facts">
      <dt>{t('office.case.number')}</dt>
      <dd class="mono">{c.case_number}</dd>
      <dt>{t('office.case.status')}</dt>
      <dd data-testid={statusTestId} data-status={statusTestId ? c.status : undefined}>
        <StatusBadge status={c.status} kind="office.case" />
      </dd>
      <dt>{t('office.case.lead_region')}</dt>
      <dd>{regionWithCode(c.lead_region, caseRegionName(c, c.lead_region))}</dd>
      <dt>{t('office.case.regions')}</dt>
      <dd>{(c.regions || []).map((r) => regionWithCode(r, caseRegionName(c, r))).join(t('admin.manage.sep'))}</dd>
      <dt>{t('office.case.registration')}</dt>
      <dd>
        {formatDate(c.registration_opens)} – {formatDate(c.registration_closes)}
      </dd>
      <dt>{t('office.case.supplementary')}</dt>
      <dd>{c.supplementary_closes ? formatDate(c.supplementary_closes) : t('admin.manage.none')}</dd>
      <dt>{t('office.case.objection_days')}</dt>
      <dd>{t('office.case.days', { n: c.objection_window_days })}</dd>
      <dt>{t('office.case.threshold')}</dt>
      <dd>
        <Money value={c.countersign_threshold} />
      </dd>
    </dl>
  );
}
