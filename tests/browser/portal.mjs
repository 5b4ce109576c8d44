// The portal in a phone-sized window: a franchise store and a branch office
// log in, look up a warranty and follow their returns; a store fails to
// reach the office's return by its address, by its id in a form and by a
// search, and a form posted without its token is refused.
//
// Environment: PASSWORD, PURCHASE_DATE, LOT (a CFL-18 lot), besides
// lib.mjs's.
import { env, keep, run, step } from './lib.mjs';

const BASE = new URL('demo/portal/', env.BASE_URL || 'http://localhost:8000/');

async function login(browser, email) {
    const context = await browser.newContext({
        viewport: { width: 390, height: 844 }, locale: 'zh-CN' });
    const page = await context.newPage();
    page.setDefaultTimeout(30000);
    await page.goto(new URL('login', BASE).href);
    await page.locator('input[name=email]').fill(email);
    await page.locator('input[name=password]').fill(env.PASSWORD);
    await page.locator('button[type=submit]').click();
    await page.locator('a[href$="/portal/warranty"]').first().waitFor();
    return page;
}

await run(async (browser) => {
    step('store: log in and look up a warranty');
    let page = await login(browser, 'store.guangzhou@example.com');
    await page.screenshot({ path: keep('01-home.png') });
    await page.locator('header a[href$="/portal/warranty"]').click();
    await page.locator('input[name=product]').fill('CFL-18');
    await page.locator('input[name=lot]').fill(env.LOT);
    await page.locator('input[name=purchase_date]').fill(env.PURCHASE_DATE);
    await page.locator('main button[type=submit]').click();
    const answers = page.locator('#answers tbody tr');
    await answers.first().waitFor();
    console.log(`answers: ${await answers.count()}`);
    await page.screenshot({ path: keep('02-warranty.png'), fullPage: true });
    await page.context().close();

    step('office: follow the returns');
    page = await login(browser, 'guangzhou@example.com');
    await page.locator('header a[href$="/portal/applications"]').click();
    const link = page.locator('#applications tbody a').first();
    const address = new URL(await link.getAttribute('href'), BASE).href;
    const number = (await link.innerText()).trim();
    await link.click();
    const state = await page.locator('#state').innerText();
    console.log(`state: ${state}`);
    await page.screenshot({ path: keep('03-application.png'), fullPage: true });
    await page.locator('.languages a', { hasText: '繁體中文' }).click();
    await page.locator('#state').waitFor();
    await page.screenshot({ path: keep('04-zh-TW.png'), fullPage: true });
    await page.context().close();

    step("another store: the office's return by its address, its id in a "
        + 'form and a search');
    page = await login(browser, 'store.shenzhen@example.com');
    const response = await page.goto(address);
    console.log(`other party: ${response.status()}`);
    await page.screenshot({ path: keep('05-not-found.png') });
    // The session's own token, the office's return's id in the form's URL
    const token = (await page.context().cookies()).find(
        (cookie) => cookie.name === 'aftersales_portal_csrf').value;
    const signed = await page.request.post(`${address}/sign`, {
        form: { csrf_token: token }, maxRedirects: 0 });
    console.log(`other party's id in a form: ${signed.status()}`);
    await page.goto(new URL('applications', BASE).href);
    await page.locator('input[name=number]').fill(number);
    await page.locator('main form button[type=submit]').first().click();
    await page.waitForURL(/[?&]number=/);
    const found = await page.locator('#applications tbody tr', {
        hasText: number }).count();
    console.log(`other party's number searched: ${found} found`);
    await page.screenshot({ path: keep('06-searched.png') });

    step('a form posted without its token');
    const forged = await page.request.post(new URL('logout', BASE).href, {
        form: {}, maxRedirects: 0 });
    console.log(`without token: ${forged.status()}`);
    await page.context().close();
});
