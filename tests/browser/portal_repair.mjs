// The repair point's portal pages in a phone-sized window: the Guangzhou
// store logs in, sees the parts consigned to it and its deposit, its
// repair orders with the overdue one marked, that order, its old-for-new
// exchanges and its rebate and compensation.
//
// Environment: PASSWORD, ORDER (the number of the overdue repair order),
// besides lib.mjs's.
import { env, keep, run, step } from './lib.mjs';

const BASE = new URL('demo/portal/', env.BASE_URL || 'http://localhost:8000/');

await run(async (browser) => {
    const context = await browser.newContext({
        viewport: { width: 390, height: 844 }, locale: 'zh-CN' });
    const page = await context.newPage();
    page.setDefaultTimeout(30000);
    const shot = (name) => page.screenshot(
        { path: keep(`${name}.png`), fullPage: true });

    step('log in');
    await page.goto(new URL('login', BASE).href);
    await page.locator('input[name=email]').fill('store.guangzhou@example.com');
    await page.locator('input[name=password]').fill(env.PASSWORD);
    await page.locator('button[type=submit]').click();
    const parts = page.locator('main a[href$="/portal/repair/parts"]');
    await parts.waitFor();
    await shot('01-home');

    step('the consigned parts and the deposit');
    await parts.click();
    const deposit = page.locator('.deposit dd').first();
    await deposit.waitFor();
    console.log(`deposit: ${(await deposit.innerText()).trim()}`);
    console.log(`parts: ${await page.locator('table.parts tbody tr').count()}`);
    await shot('02-parts');

    step('the repair orders, the overdue one marked');
    await page.locator('header a[href$="/portal/repair/orders"]').click();
    const overdue = page.locator('#repair-orders tr.overdue');
    await overdue.first().waitFor();
    for (const row of await overdue.all()) {
        const number = (await row.locator('td a').innerText()).trim();
        console.log(`overdue: ${number}`);
    }
    await shot('03-orders');
    await overdue.filter({ hasText: env.ORDER }).locator('td a').click();
    await page.locator('#overdue').waitFor();
    console.log(`order: ${(await page.locator('h1').innerText()).trim()} `
        + (await page.locator('#state').innerText()).trim());
    await shot('04-order');

    step('the old-for-new exchanges, the rebate and compensation');
    await page.locator('header a[href$="/portal/repair/exchanges"]').click();
    await page.locator('#exchanges').waitFor();
    await shot('05-exchanges');
    await page.locator('header a[href$="/portal/repair/statements"]').click();
    await page.locator('#compensations').waitFor();
    await shot('06-statements');
    await context.close();
});
