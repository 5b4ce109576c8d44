// Drive the Tryton web client through the warranty screens, taking
// screenshots: log in, open After-Sales > Warranty Registrations, open one
// registration, run After-Sales > Warranty Check on it as a dealer.
//
// Run by tests/test_browser.py; environment: as lib.mjs says, and
//   LOGIN, PASSWORD     default admin / admin
// Exits non-zero, after a failure.png screenshot, when a step fails.
import { Client, env, run, step } from './lib.mjs';

// Labels as the views and menus show them (English user)
const MENU_ROOT = 'After-Sales';
const MENU_REGISTRATIONS = 'Warranty Registrations';
const MENU_CHECK = 'Warranty Check';
const REGISTRATION_FIELD = 'number';
const CHECK_REGISTRATION_FIELD = 'registration';
const CHECK_CLAIMANT_FIELD = 'claimant';
const CHECK_CLAIMANT = 'Dealer';
const CHECK_BUTTON = 'Check';
const CLOSE_BUTTON = 'Close';
// A registration of a date-coded CFL (see tests/demo.py of
// aftersales_warranty): the registration whose product code starts so
const PRODUCT_PREFIX = '[CFL-';

await run(async (browser) => {
    step('login');
    const client = await Client.login(
        browser, env.LOGIN || 'admin', env.PASSWORD || 'admin');
    const { page, tab, dialogs } = client;
    await client.menuEntry(MENU_ROOT).click();
    await client.menuEntry(MENU_REGISTRATIONS).waitFor();
    await client.shot('01-menu');

    step(`open ${MENU_ROOT} > ${MENU_REGISTRATIONS}`);
    await client.menuEntry(MENU_REGISTRATIONS).click();
    await client.showAll();
    const rows = tab.locator('.treeview tbody tr');
    const row = rows.filter({ hasText: PRODUCT_PREFIX }).first();
    await row.waitFor();
    console.log(`${await rows.count()} registrations listed`);
    await client.shot('02-registrations');

    step('open a registration');
    // The first cell is the number; the others may be links to records
    const number = (await row.locator('td').filter(
        { hasText: /^WR-/ }).first().innerText()).trim();
    await row.locator('td').filter({ hasText: number }).first().dblclick();
    const numberInput = tab.locator(`input[name="${REGISTRATION_FIELD}"]`);
    await client.waitForValue(numberInput, number);
    await tab.locator('.treeview tbody tr').first().waitFor();
    await client.shot('03-registration');

    step(`run ${MENU_CHECK} for ${number}`);
    await client.menuEntry(MENU_CHECK).click();
    const dialog = client.dialogWith(
        `input[name="${CHECK_REGISTRATION_FIELD}"]`);
    const registration = dialog.locator(
        `input[name="${CHECK_REGISTRATION_FIELD}"]`);
    await client.fillMany2One(registration, number);
    await dialog.locator(`select[name="${CHECK_CLAIMANT_FIELD}"]`)
        .selectOption({ label: CHECK_CLAIMANT });
    await client.shot('04-check');
    await dialog.locator('button', { hasText: CHECK_BUTTON }).click();
    const result = dialogs.filter({ has: page.locator(
        'button', { hasText: CLOSE_BUTTON }) });
    const answers = result.locator('.treeview tbody tr');
    await answers.first().waitFor();
    console.log(`${await answers.count()} answer(s): `
        + (await answers.allInnerTexts()).map(
            (t) => t.replace(/\s+/g, ' ').trim()).join(' | '));
    await client.shot('05-check-result');
    await result.locator('button', { hasText: CLOSE_BUTTON }).click();
    await result.waitFor({ state: 'detached' });
});
