// Drive the Tryton web client through the warranty screens, taking
// screenshots: log in, open After-Sales > Warranty Registrations, open one
// registration, run After-Sales > Warranty Check on it as a dealer.
//
// Run by tests/test_browser.py; environment:
//   BASE_URL            the trytond serving sao (started with -d <db>)
//   SCREENSHOTS         folder for the PNG files
//   PLAYWRIGHT_PREFIX   npm prefix holding node_modules/playwright-core
//   CHROMIUM            browser binary (default /usr/bin/chromium)
//   LOGIN, PASSWORD     default admin / admin
// Exits non-zero, after a failure.png screenshot, when a step fails.
import { createRequire } from 'node:module';
import path from 'node:path';

// Labels as the views and menus show them (English user)
const MENU_ROOT = 'After-Sales';
const MENU_REGISTRATIONS = 'Warranty Registrations';
const MENU_CHECK = 'Warranty Check';
const REGISTRATION_FIELD = 'number';
const CHECK_REGISTRATION_FIELD = 'registration';
const CHECK_CLAIMANT_FIELD = 'claimant';
const CHECK_CLAIMANT = 'Dealer';
const CHECK_BUTTON = 'Check';
const SEARCH_DIALOG = 'Search';  // title of a Many2One's search dialog
const OK_BUTTON = 'OK';
const CLOSE_BUTTON = 'Close';
// A registration of a date-coded CFL (see tests/demo.py of
// aftersales_warranty): the registration whose product code starts so
const PRODUCT_PREFIX = '[CFL-';

const env = process.env;
const BASE_URL = env.BASE_URL || 'http://localhost:8000/';
const SCREENSHOTS = env.SCREENSHOTS || 'tests/screenshots';
const require = createRequire(
    path.resolve(env.PLAYWRIGHT_PREFIX || 'var/browser', 'package.json'));
const { chromium } = require('playwright-core');

const browser = await chromium.launch({
    executablePath: env.CHROMIUM || '/usr/bin/chromium',
    args: ['--no-sandbox', '--headless', '--disable-gpu', '--disable-quic',
        '--no-first-run', '--disable-background-networking',
        '--disable-component-update', '--disable-sync'],
});
const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
page.setDefaultTimeout(30000);
page.on('pageerror', (error) => console.log(`page error: ${error}`));

const start = Date.now();
function step(name) {
    console.log(`[${((Date.now() - start) / 1000).toFixed(1)}s] ${name}`);
}
async function shot(name) {
    await page.waitForTimeout(500);  // let dialogs finish fading in or out
    await page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`) });
}
const menu = page.locator('#menu');
const menuEntry = (label) => menu.locator(
    `.column-char[title="${label}"]`);
const tab = page.locator('#tabs .tab-pane.active');
// Wait until the input shows a value containing text
async function waitForValue(input, text, timeout = 30000) {
    const end = Date.now() + timeout;
    let value;
    while ((value = await input.inputValue()).indexOf(text) < 0) {
        if (Date.now() > end) {
            throw new Error(`${input} shows "${value}", not "${text}"`);
        }
        await page.waitForTimeout(100);
    }
}
const dialogs = page.locator('.modal-dialog:visible');

try {
    step('login');
    await page.goto(BASE_URL);
    await page.locator('#login').fill(env.LOGIN || 'admin');
    await page.locator('button[type=submit]').click();
    await page.locator('#ask-dialog-entry').fill(env.PASSWORD || 'admin');
    await page.locator('#ask-dialog-entry').press('Enter');
    await menuEntry(MENU_ROOT).click();
    await menuEntry(MENU_REGISTRATIONS).waitFor();
    await shot('01-menu');

    step(`open ${MENU_ROOT} > ${MENU_REGISTRATIONS}`);
    await menuEntry(MENU_REGISTRATIONS).click();
    const rows = tab.locator('.treeview tbody tr');
    const row = rows.filter({ hasText: PRODUCT_PREFIX }).first();
    await row.waitFor();
    console.log(`${await rows.count()} registrations listed`);
    await shot('02-registrations');

    step('open a registration');
    // The first cell is the number; the others may be links to records
    const number = (await row.locator('td').filter(
        { hasText: /^WR-/ }).first().innerText()).trim();
    await row.locator('td').filter({ hasText: number }).first().dblclick();
    const numberInput = tab.locator(`input[name="${REGISTRATION_FIELD}"]`);
    await waitForValue(numberInput, number);
    await tab.locator('.treeview tbody tr').first().waitFor();
    await shot('03-registration');

    step(`run ${MENU_CHECK} for ${number}`);
    await menuEntry(MENU_CHECK).click();
    const dialog = dialogs.filter({ has: page.locator(
        `input[name="${CHECK_REGISTRATION_FIELD}"]`) });
    const registration = dialog.locator(
        `input[name="${CHECK_REGISTRATION_FIELD}"]`);
    await registration.fill(number);
    await registration.press('Tab');
    // sao completes the field, or asks to pick the record in a dialog
    const search = dialogs.filter({ has: page.locator(
        '.modal-title', { hasText: SEARCH_DIALOG }) });
    for (const end = Date.now() + 30000;
        !(await registration.inputValue()).includes(number);) {
        if (await search.count()) {
            await search.locator('.treeview tbody td').filter(
                { hasText: number }).first().click();
            await search.locator('button', { hasText: OK_BUTTON }).click();
            await search.waitFor({ state: 'detached' });
        } else if (Date.now() > end) {
            throw new Error(`${CHECK_REGISTRATION_FIELD} not set to ${number}`);
        }
        await page.waitForTimeout(100);
    }
    await dialog.locator(`select[name="${CHECK_CLAIMANT_FIELD}"]`)
        .selectOption({ label: CHECK_CLAIMANT });
    await shot('04-check');
    await dialog.locator('button', { hasText: CHECK_BUTTON }).click();
    const result = dialogs.filter({ has: page.locator(
        'button', { hasText: CLOSE_BUTTON }) });
    const answers = result.locator('.treeview tbody tr');
    await answers.first().waitFor();
    console.log(`${await answers.count()} answer(s): `
        + (await answers.allInnerTexts()).map(
            (t) => t.replace(/\s+/g, ' ').trim()).join(' | '));
    await shot('05-check-result');
    await result.locator('button', { hasText: CLOSE_BUTTON }).click();
    await result.waitFor({ state: 'detached' });
    step('done');
} catch (error) {
    console.error(`FAILED: ${error.message}`);
    await shot('failure').catch(() => {});
    await browser.close();
    process.exit(1);
}
await browser.close();
