// A franchise store on the portal, in zh_CN on a phone-sized screen: it
// logs in, looks up the warranty of a lamp, files a return of two lines with
// a photo, signs and submits it; customer service approves it through
// JSON-RPC; the store sees it approved and downloads its registration form.
//
// Run by tests/test_browser.py; environment: as lib.mjs says, and
//   DATABASE                      the demo database (default demo)
//   STORE_EMAIL, STORE_PASSWORD   the store's web user
//   SERVICE_LOGIN, SERVICE_PASSWORD   the customer service user
//   LOT, LOT2                     lots of CFL-18 and RL-13 the store was
//                                 delivered (see tests/demo.py of
//                                 aftersales_warranty)
//   PURCHASE_DATE                 a consumer's purchase date of the first
// Prints "application: <id> <state>" after each step and
// "registration form: <file name> <type>".
import fs from 'node:fs';

import { env, keep, run, step } from './lib.mjs';

const BASE_URL = env.BASE_URL || 'http://localhost:8000/';
const DATABASE = env.DATABASE || 'demo';
const PORTAL = `${BASE_URL}${DATABASE}/portal/`;
const REASON = '[Q1]';  // the quality defect reason, as the select shows it
const LINES = [
    ['CFL-18', env.LOT, '2', '通电后不亮'],
    ['RL-13', env.LOT2, '1', '灯光闪烁'],
];
const ASSESSMENT = '两款灯具质量故障，建议返厂检测。';

async function shot(page, name) {
    await page.screenshot({ path: keep(`${name}.png`), fullPage: true });
}

// Call method of the server as login through JSON-RPC, in its context
async function rpc(login, password, method, params) {
    const url = `${BASE_URL}${DATABASE}/rpc/`;
    const call = async (body, headers = {}) => {
        const response = await fetch(url, {
            method: 'POST',
            headers: { 'Content-Type': 'application/json', ...headers },
            body: JSON.stringify({ id: 1, ...body }),
        });
        const answer = await response.json();
        if (answer.error) {
            throw new Error(`${body.method}: ${JSON.stringify(answer.error)}`);
        }
        return answer.result;
    };
    const [userId, key] = await call({
        method: 'common.db.login',
        params: [login, { password }, 'zh_CN'],
    });
    const session = Buffer.from(`${login}:${userId}:${key}`)
        .toString('base64');
    const headers = { Authorization: `Session ${session}` };
    const context = await call({
        method: 'model.res.user.get_preferences', params: [true, {}],
    }, headers);
    return call({ method, params: [...params, context] }, headers);
}

async function state(page) {
    return (await page.locator('#state').innerText()).trim();
}

run(async (browser) => {
    const context = await browser.newContext({
        viewport: { width: 390, height: 844 }, locale: 'zh-CN',
        acceptDownloads: true });
    const page = await context.newPage();
    page.setDefaultTimeout(30000);

    step('log in');
    await page.goto(`${PORTAL}login`);
    await page.locator('input[name="email"]').fill(env.STORE_EMAIL);
    await page.locator('input[name="password"]').fill(env.STORE_PASSWORD);
    await shot(page, '01-login');
    await page.locator('form button[type="submit"]').click();
    await page.waitForURL(PORTAL);
    await shot(page, '02-home');

    step('look up the warranty');
    await page.goto(`${PORTAL}warranty`);
    await page.locator('input[name="product"]').fill(LINES[0][0]);
    await page.locator('input[name="lot"]').fill(LINES[0][1]);
    await page.locator('input[name="purchase_date"]').fill(
        env.PURCHASE_DATE);
    await page.locator('main form button[type="submit"]').click();
    await page.locator('#answers').waitFor();
    await shot(page, '03-warranty');
    const photo = await page.screenshot();

    step('file a return of two lines with a photo');
    await page.goto(`${PORTAL}applications`);
    await page.locator('#new').click();
    const form = page.locator('#new-application');
    await form.locator('textarea[name="assessment"]').fill(ASSESSMENT);
    for (const [i, [product, lot, quantity, fault]] of LINES.entries()) {
        await form.locator(`input[name="product_${i}"]`).fill(product);
        await form.locator(`input[name="lot_${i}"]`).fill(lot);
        await form.locator(`input[name="quantity_${i}"]`).fill(quantity);
        const reason = form.locator(`select[name="reason_${i}"] option`,
            { hasText: REASON });
        await form.locator(`select[name="reason_${i}"]`).selectOption(
            await reason.getAttribute('value'));
        await form.locator(`input[name="description_${i}"]`).fill(fault);
    }
    await form.locator('input[name="photos"]').setInputFiles({
        name: 'lamp.png', mimeType: 'image/png', buffer: photo });
    await shot(page, '04-new');
    await form.locator('button[name="save"]').click();
    await page.waitForURL(/\/applications\/\d+$/);
    const id = page.url().match(/(\d+)$/)[1];
    await page.locator('#photos').getByText('lamp.png').waitFor();
    console.log(`application: ${id} ${await state(page)}`);
    await shot(page, '05-draft');

    step('sign and submit');
    for (const action of ['sign', 'submit']) {
        await page.locator(`#${action}`).click();
        await page.waitForLoadState();
        if (await page.locator('.error').count()) {
            throw new Error(await page.locator('.error').innerText());
        }
        console.log(`application: ${id} ${await state(page)}`);
    }
    await shot(page, '06-submitted');

    step('customer service approves');
    await rpc(env.SERVICE_LOGIN, env.SERVICE_PASSWORD,
        'model.aftersales.rma.application.approve', [[Number(id)]]);

    step('the store sees it approved');
    await page.reload();
    console.log(`application: ${id} ${await state(page)}`);
    await shot(page, '07-approved');
    const [download] = await Promise.all([
        page.waitForEvent('download'),
        page.locator('#documents a').first().click(),
    ]);
    const file = keep(download.suggestedFilename());
    await download.saveAs(file);
    const head = fs.readFileSync(file).subarray(0, 4).toString('latin1');
    const type = head === '%PDF' ? 'pdf' : 'odt';
    console.log(`registration form: ${download.suggestedFilename()} ${type}`);
    await context.close();
});
