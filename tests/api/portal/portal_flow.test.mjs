// The portal end to end, in headless Chromium against the real stack (nginx, restitutiond,
// MariaDB): a claimant registers on a phone and declares a claim with evidence, an officer
// confirms it at a desk, a distribution is drafted, endorsed by a second officer, approved by
// the court and executed, and the claimant sees the refund and verifies the ledger's proof of
// it in the browser. Every step asserts what is on screen; screenshots of the key pages at
// phone and desktop widths go to PORTAL_ARTIFACTS_DIR. No page may request another host.
//
// Labels and buttons are found by their text in the Chinese catalogue (the default language),
// so a reworded string does not break the test, a missing label does.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, afterEach, before, test } from 'node:test';
import en from '../../../api/portal/src/i18n/en.js';
import zh from '../../../api/portal/src/i18n/zh.js';
import { DESKTOP, PHONE, assertOnlyOwnHost, launch, person, screenshot as takeScreenshot } from './support/browser.mjs';
import { assertUsable } from './support/page_checks.mjs';
import {
  BASE,
  call,
  caseWithStaff,
  fundPool,
  login,
  residentId,
  smsLineCount,
  waitForSmsCode,
} from './support/service_api.mjs';

const ARTIFACTS = process.env.PORTAL_ARTIFACTS_DIR;
const SMS_LOG = process.env.PORTAL_SMS_LOG;
const EVIDENCE = process.env.PORTAL_EVIDENCE_FILE;

// The catalogue's text for a key; a key the catalogue lacks fails here, not as a timeout.
function L(key) {
  assert.ok(key in zh, `the zh catalogue has no key ${key}`);
  return zh[key];
}

// The form control labelled with the catalogue's text (a required field's label ends in " *").
function field(scope, key) {
  const text = L(key).replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return scope.getByLabel(new RegExp(`^${text}( \\*.*)?$`));
}

const run = {
  suffix: `${Date.now() % 100000}${randomBytes(1)[0]}`,
  phone: `139${String(Date.now()).slice(-8)}`,
  password: `Claimant-${randomBytes(6).toString('hex')}`,
};
let browser;
const people = [];

before(async () => {
  assert.ok(BASE && ARTIFACTS && SMS_LOG && EVIDENCE, 'run through run_portal_test.sh');
  run.adminToken = await login('admin', process.env.PORTAL_ADMIN_PASSWORD);
  Object.assign(run, await caseWithStaff(run.adminToken, run.suffix));
  browser = await launch();
});

// On a failure, what each person's browser showed.
afterEach(async (t) => {
  if (!t.passed) {
    for (const p of people) {
      await takeScreenshot(p.page, ARTIFACTS, `failed-${p.watch.label}`).catch(() => {});
    }
  }
});

after(async () => {
  for (const p of people) await p.context.close();
  if (browser) await browser.close();
});

// A key page: checked for usability (width, labels, names), then photographed.
async function screenshot(page, dir, name) {
  await assertUsable(page, name);
  await takeScreenshot(page, dir, name);
}

async function open(viewport, label) {
  const p = await person(browser, BASE, viewport, label);
  people.push(p);
  return p;
}

async function signIn(page, username, password) {
  await page.goto(`${BASE}/login`);
  await field(page, 'login.username').fill(username);
  await field(page, 'login.password').fill(password);
  await page.getByRole('button', { name: L('login.submit'), exact: true }).click();
}

test('a claimant registers on a phone with the code from the text message', async () => {
  const claimant = await open(PHONE, 'claimant');
  run.claimant = claimant;
  const { page } = claimant;
  await page.goto(`${BASE}/`);
  // The scam warning and the official key are on every page.
  await page.getByText(L('scam.text')).waitFor();
  await page.getByTestId('official-key').getByText('+').waitFor();
  await screenshot(page, ARTIFACTS, 'phone-01-home');

  await page.goto(`${BASE}/register`);
  const smsBefore = smsLineCount(SMS_LOG);
  await field(page, 'register.phone').fill(run.phone);
  await field(page, 'register.password').fill(run.password);
  await field(page, 'register.confirm').fill(run.password);
  await screenshot(page, ARTIFACTS, 'phone-02-register');
  await page.getByRole('button', { name: L('register.send_code') }).click();
  await page.getByText(L('register.code_sent')).waitFor();
  const code = await waitForSmsCode(SMS_LOG, run.phone, smsBefore);
  await field(page, 'register.code').fill(code);
  await page.getByRole('button', { name: L('register.verify') }).click();
  // Signed in straight away, on the claimant's own page.
  await page.waitForURL(`${BASE}/my`);
  await page.getByRole('heading', { level: 1 }).waitFor();
});

test('the claimant declares step by step, sees the net amount, submits and uploads evidence', async () => {
  const { page } = run.claimant;
  // /my lists the open case: each case is listed once, with its own declare link.
  await page.getByRole('link', { name: L('my.declare') }).first().click();
  await page.waitForURL(`${BASE}/my/cases/${run.caseId}/declare`);
  run.idNumber = residentId('11010519580312123');
  await field(page, 'field.identity.name').fill('张桂兰');
  await field(page, 'field.identity.id_number').fill(run.idNumber);
  await field(page, 'field.identity.phone').fill(run.phone);
  await field(page, 'field.region').selectOption(run.region);
  // The claimant chooses a place, not six digits.
  assert.equal((await field(page, 'field.region').locator('option:checked').textContent()).trim(), '北京市朝阳区');
  await screenshot(page, ARTIFACTS, 'phone-03-declare-identity');
  await page.getByRole('button', { name: L('declare.next') }).click();

  await field(page, 'field.identity.bank_name').fill('中国工商银行北京朝阳支行');
  await field(page, 'field.identity.bank_account').fill('6222020200112233446');
  await page.getByRole('button', { name: L('declare.next') }).click();

  await field(page, 'field.accounts.platform_account').fill('zgl1958');
  await field(page, 'field.accounts.channel').fill('手机App');
  await page.getByRole('button', { name: L('declare.next') }).click();

  await field(page, 'field.contributions.date').fill('2015-06-01');
  await field(page, 'field.contributions.amount').fill('50000');
  await page.getByRole('button', { name: L('declare.next') }).click();

  await page.getByRole('button', { name: L('declare.returns.add') }).click();
  await field(page, 'field.returns.date').fill('2016-01-01');
  await field(page, 'field.returns.amount').fill('2000.50');
  await field(page, 'field.returns.kind').selectOption({ label: L('declare.return_kind.interest') });
  await page.getByRole('button', { name: L('declare.next') }).click();

  // The review page shows the net amount (paid in − got back) before anything is sent.
  const net = page.getByTestId('claim-net-amount');
  await net.waitFor();
  assert.match(await net.innerText(), /47,999\.50/);
  await screenshot(page, ARTIFACTS, 'phone-04-declare-review');
  await page.getByRole('button', { name: L('declare.submit') }).click();

  const claimId = page.getByTestId('claim-id');
  await claimId.waitFor();
  run.claimId = Number((await claimId.innerText()).replace(/\D/g, ''));
  assert.ok(run.claimId > 0, 'a claim number is shown after submitting');

  // Evidence, with its progress, then the claim page.
  await page.getByLabel(L('evidence.choose')).setInputFiles(EVIDENCE);
  await page.getByText(L('evidence.uploaded')).first().waitFor();
  await page.getByTestId('evidence-item').first().waitFor();
  await screenshot(page, ARTIFACTS, 'phone-05-evidence-uploaded');
  await page.getByRole('link', { name: L('declare.done.view_claim') }).click();
  await page.waitForURL(`${BASE}/my/claims/${run.caseId}/${run.claimId}`);
  await page.getByTestId('claim-status').waitFor();
  assert.equal(await page.getByTestId('claim-status').getAttribute('data-status'), 'submitted');
  await screenshot(page, ARTIFACTS, 'phone-06-claim-submitted');
});

test('an officer finds the claim in the review queue, sees the evidence and confirms it', async () => {
  const officer = await open(DESKTOP, 'officer-a');
  run.officerA = officer;
  const { page } = officer;
  await signIn(page, run.staff.officer_a.username, run.staff.officer_a.password);
  await page.waitForURL(`${BASE}/office`);
  // The officer's own case is listed first, as a link.
  await page.getByTestId('office-my-cases').locator(`[data-case-id="${run.caseId}"] a`).first().waitFor();
  await page.goto(`${BASE}/office/cases/${run.caseId}/claims`);
  const row = page.locator(`[data-testid="queue-row"][data-claim-id="${run.claimId}"]`);
  await row.waitFor();
  await screenshot(page, ARTIFACTS, 'desktop-01-review-queue');
  await page.getByRole('link', { name: L('review.queue.open').replace('{id}', run.claimId) }).click();
  await page.waitForURL(`${BASE}/office/cases/${run.caseId}/claims/${run.claimId}`);
  // The evidence the claimant uploaded is viewable here.
  await page.getByTestId('evidence-file').first().waitFor();
  await screenshot(page, ARTIFACTS, 'desktop-02-claim-review');

  await page.getByRole('button', { name: L('review.action.confirm'), exact: true }).click();
  const amount = field(page, 'review.confirm.amount');
  assert.equal((await amount.inputValue()).replace(/,/g, ''), '47999.50', 'pre-filled with the net');
  await page.getByRole('button', { name: L('office.action.next'), exact: true }).click();
  await page.getByRole('button', { name: L('review.confirm.submit'), exact: true }).click();
  await page.locator('[data-testid="review-status"][data-status="confirmed"]').waitFor();
  await screenshot(page, ARTIFACTS, 'desktop-03-claim-confirmed');
});

test('an officer drafts a distribution and sees its preview: totals, ratio and the chart', async () => {
  const { page } = run.officerA;
  // Recovered money reaches the pool the way the task force takes in a frozen deposit.
  run.officerAToken = await login(run.staff.officer_a.username, run.staff.officer_a.password);
  await fundPool(run.officerAToken, run.caseId, '100000.00');

  await page.goto(`${BASE}/office/cases/${run.caseId}/distributions`);
  await page.getByRole('link', { name: L('dist.list.new') }).click();
  await page.waitForURL(`${BASE}/office/cases/${run.caseId}/distributions/new`);
  await field(page, 'dist.draft.amount').fill('60000');
  await field(page, 'dist.draft.min_payment').fill('10');
  await screenshot(page, ARTIFACTS, 'desktop-04-draft-form');
  await page.getByRole('button', { name: L('dist.draft.submit'), exact: true }).click();
  await page.waitForURL(new RegExp(`/office/cases/${run.caseId}/distributions/\\d+$`));
  run.runId = Number(new URL(page.url()).pathname.split('/').pop());

  await page.locator('[data-testid="run-status"]').getByText(L('dist.status.drafted')).waitFor();
  // One confirmed claim of 47,999.50 and 60,000 to hand out: the claim is paid in full.
  assert.match(await page.getByTestId('run-total').innerText(), /47,999\.50/);
  assert.match(await page.getByTestId('run-ratio').innerText(), /^100(\.0+)?%$/);
  await page.getByTestId('allocation-chart').waitFor();
  await screenshot(page, ARTIFACTS, 'desktop-05-run-drafted');
  const phone = await open(PHONE, 'officer-a-phone');
  await phone.page.goto(`${BASE}/`);
  await phone.page.evaluate((s) => sessionStorage.setItem('restitution.session', s), await page.evaluate(() => sessionStorage.getItem('restitution.session')));
  await phone.page.goto(page.url());
  await phone.page.getByTestId('allocation-chart').waitFor();
  await screenshot(phone.page, ARTIFACTS, 'phone-10-run-drafted');
});

test('a second officer endorses the draft; the drafter could not', async () => {
  // The drafter's own endorse button is refused with the reason shown.
  await run.officerA.page.getByText(L('dist.actions.endorse_other')).waitFor();

  const officerB = await open(DESKTOP, 'officer-b');
  const { page } = officerB;
  await signIn(page, run.staff.officer_b.username, run.staff.officer_b.password);
  await page.waitForURL(`${BASE}/office`);
  await page.goto(`${BASE}/office/cases/${run.caseId}/distributions/${run.runId}`);
  await page.getByRole('button', { name: L('dist.actions.endorse'), exact: true }).click();
  await page.getByRole('button', { name: L('dist.confirm.endorse_ok'), exact: true }).click();
  await page.getByText(L('dist.done.endorse')).waitFor();
  await page.locator('[data-testid="run-status"]').getByText(L('dist.status.endorsed')).waitFor();
});

test('the court reads the run awaiting approval and approves it with the order reference', async () => {
  const court = await open(DESKTOP, 'court');
  const { page } = court;
  await signIn(page, run.staff.judge.username, run.staff.judge.password);
  await page.waitForURL(`${BASE}/court`);
  await page.getByTestId('court-run').first().waitFor();
  await screenshot(page, ARTIFACTS, 'desktop-06-court-queue');
  await page.getByTestId('court-run').getByRole('link').first().click();
  await page.waitForURL(`${BASE}/court/cases/${run.caseId}/distributions/${run.runId}`);
  assert.match(await page.getByTestId('run-total').innerText(), /47,999\.50/);
  await field(page, 'court.approve.ref').fill('(2026)京0105执恢1号');
  await page.getByRole('button', { name: L('court.approve.submit'), exact: true }).click();
  await page.getByRole('button', { name: L('court.approve.confirm_ok'), exact: true }).click();
  await page.getByText(L('court.approve.done')).waitFor();
  await page.locator('[data-testid="run-status"]').getByText(L('dist.status.approved')).waitFor();
  await screenshot(page, ARTIFACTS, 'desktop-07-court-approved');
});

test('the officer executes the approved run and downloads the payment list', async () => {
  const { page } = run.officerA;
  await page.reload();
  await page.getByRole('button', { name: L('dist.actions.execute'), exact: true }).click();
  await page.getByRole('button', { name: L('dist.confirm.execute_ok'), exact: true }).click();
  await page.getByText(L('dist.done.execute')).waitFor();
  await page.locator('[data-testid="run-status"]').getByText(L('dist.status.executed')).waitFor();
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: L('dist.pay.download') }).click(),
  ]);
  const csv = await (await download.createReadStream()).toArray();
  const text = Buffer.concat(csv).toString('utf8');
  assert.match(text, /47999\.50/, 'the payment list holds the claimant refund');
  await screenshot(page, ARTIFACTS, 'desktop-08-run-executed');
});

test('the claimant sees the refund in the statement and verifies its ledger record in the browser', async () => {
  const { page } = run.claimant;
  await page.goto(`${BASE}/my/claims/${run.caseId}/${run.claimId}`);
  const round = page.getByTestId('statement-round').first();
  await round.waitFor();
  // The whole allowed amount fits in the pool: the refund is the confirmed 47,999.50.
  assert.match(await round.innerText(), /47,999\.50/);
  await screenshot(page, ARTIFACTS, 'phone-07-statement');

  const receipt = page.locator('li', { hasText: L('verify.kind.round').replace('{n}', '1') });
  await receipt.getByRole('button', { name: L('verify.button_mine') }).click();
  const result = receipt.getByTestId('verify-result');
  await result.waitFor();
  // The ledger entry may still be waiting for its index for a moment: retry as a person would.
  for (let i = 0; i < 20 && (await result.getAttribute('data-state')) === 'pending'; i++) {
    await page.waitForTimeout(500);
    await receipt.getByRole('button', { name: L('verify.retry') }).click();
  }
  assert.equal(await result.getAttribute('data-verified'), 'true', await result.innerText());
  await screenshot(page, ARTIFACTS, 'phone-08-verified');

  // Every step of the claim carries its receipt too: the declaration, long after it was made.
  const declared = page
    .locator('li')
    .filter({ has: page.getByRole('button', { name: L('verify.button_mine') }) })
    .filter({ hasText: L('claim.event.declared') });
  await declared.getByRole('button', { name: L('verify.button_mine') }).click();
  const declaredResult = declared.getByTestId('verify-result');
  await declaredResult.waitFor();
  assert.equal(await declaredResult.getAttribute('data-verified'), 'true', await declaredResult.innerText());
});

test('the claimant objects to the amount, choosing the reason from a list', async () => {
  const { page } = run.claimant;
  // A confirmed claim: the reasons offered are those that fit a confirmation.
  const kind = field(page, 'objection.kind_label');
  const offered = await kind.locator('option').evaluateAll((options) => options.map((o) => o.value));
  assert.deepEqual(offered, ['amount_wrong', 'records_missing', 'returns_overcounted', 'other']);
  await kind.selectOption('records_missing');
  await field(page, 'objection.reason').fill('另一个账号 zgl1958b 的投资没有算进去');
  await page.getByRole('button', { name: L('objection.submit') }).click();
  // Listed with its reason (the select's option of the same text is not shown).
  await page.locator('dd', { hasText: L('objection.kind.records_missing') }).waitFor();
  await screenshot(page, ARTIFACTS, 'phone-08b-objection');
});

test('the public case page shows the round with its ratio and the current checkpoint', async () => {
  for (const [viewport, name] of [
    [PHONE, 'phone-09-public-case'],
    [DESKTOP, 'desktop-09-public-case'],
  ]) {
    const visitor = await open(viewport, `public-${viewport.width}`);
    await visitor.page.goto(`${BASE}/cases/${run.caseId}`);
    await visitor.page.getByRole('heading', { level: 1, name: '某理财平台非法集资案' }).waitFor();
    await visitor.page.getByTestId('public-round').first().waitFor();
    await visitor.page.getByTestId('public-checkpoint').waitFor();
    // The claimant's objection, counted by its reason and nothing else.
    const objections = visitor.page.getByTestId('public-stats-objections');
    await objections.waitFor();
    const row = objections.locator('tr', { hasText: L('objection.kind.records_missing') });
    assert.deepEqual(await row.locator('td.num').allInnerTexts(), ['1', '0', '0']);
    await screenshot(visitor.page, ARTIFACTS, name);
  }
});

test('the administrator sees every case and the forms for staff and cases', async () => {
  const admin = await open(DESKTOP, 'admin');
  const { page } = admin;
  await signIn(page, 'admin', process.env.PORTAL_ADMIN_PASSWORD);
  await page.waitForURL(`${BASE}/office`);
  await page.getByRole('link', { name: L('nav.admin') }).click();
  await page.waitForURL(`${BASE}/admin`);
  await page.locator(`[data-testid="admin-cases"] [data-case-id="${run.caseId}"]`).waitFor();
  await screenshot(page, ARTIFACTS, 'desktop-10-admin');
  // The case's page lists who is bound to it, and a row's button fills in the unbinding form.
  await page.goto(`${BASE}/admin/cases/${run.caseId}`);
  const rows = page.getByTestId('admin-member-row');
  await rows.first().waitFor();
  const bound = await rows.evaluateAll((trs) => trs.map((tr) => Number(tr.dataset.userId)).sort((a, b) => a - b));
  assert.deepEqual(bound, [run.staff.officer_a.id, run.staff.officer_b.id, run.staff.judge.id].sort((a, b) => a - b));
  const judge = page.locator(`[data-testid="admin-member-row"][data-user-id="${run.staff.judge.id}"]`);
  assert.ok((await judge.innerText()).includes(run.staff.judge.username), await judge.innerText());
  await judge.getByRole('button').click();
  const unbindField = page.getByTestId('admin-unbind-panel').getByRole('textbox');
  assert.equal(await unbindField.inputValue(), String(run.staff.judge.id));
  await screenshot(page, ARTIFACTS, 'desktop-11-admin-members');
});

test('the portal switches to English and back, and says so when the service is slow', async () => {
  const visitor = await open(PHONE, 'visitor');
  const { page } = visitor;
  await page.goto(`${BASE}/cases`);
  await page.getByRole('heading', { level: 1, name: zh['public.cases.title'] }).waitFor();
  await page.getByRole('button', { name: 'English' }).click();
  await page.getByRole('heading', { level: 1, name: en['public.cases.title'] }).waitFor();
  assert.equal(await page.evaluate(() => document.documentElement.lang), 'en');
  await page.getByText(en['scam.text']).waitFor();
  await screenshot(page, ARTIFACTS, 'phone-11-english');
  await page.getByRole('button', { name: '中文' }).click();
  await page.getByRole('heading', { level: 1, name: zh['public.cases.title'] }).waitFor();

  // Every API answer now takes six seconds: the page admits the wait, then shows the case.
  await page.route('**/api/v1/**', async (route) => {
    await new Promise((r) => setTimeout(r, 6000));
    await route.continue();
  });
  await page.goto(`${BASE}/cases/${run.caseId}`);
  await page.getByText(L('common.slow')).first().waitFor({ timeout: 10000 });
  await page.getByTestId('public-round').first().waitFor({ timeout: 30000 });
  await page.unroute('**/api/v1/**');
});

test('no page asked any host but the service, and no script failed', () => {
  for (const p of people) assertOnlyOwnHost(p.watch);
});
