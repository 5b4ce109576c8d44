// Take a return application of a lot-tracked lamp from draft to its receipt
// in the web client, in zh_CN, role by role, taking a screenshot per step:
// the office manager applies for the return of faulty ceiling lamps of one
// lot and signs; customer service grants the special approval (a return
// outside the region's week); the office manager submits; customer service
// approves; logistics dispatches, receives and counts the goods; customer
// service exchanges one lamp and credits the other; the receipt is printed.
//
// Run by tests/test_browser.py; environment: as lib.mjs says, and the
// logins of the roles (each defaults to admin / admin):
//   OFFICE_LOGIN, OFFICE_PASSWORD         office manager
//   SERVICE_LOGIN, SERVICE_PASSWORD       customer service
//   LOGISTICS_LOGIN, LOGISTICS_PASSWORD   logistics
// Prints "receipt: <file name> <type>" where type is pdf or odt, read from
// the file's first bytes, and keeps the file beside the screenshots.
import fs from 'node:fs';
import path from 'node:path';

import { Client, env, keep, run, step } from './lib.mjs';

// Menus as a zh_CN user sees them
const MENU = ['售后服务', '返厂', '返厂申请'];
// The receipt in the form's print menu
const RECEIPT = '返厂回执';
// A branch office and a lot its franchise stores were delivered (see
// tests/demo.py of aftersales_warranty: the ceiling lamps sold to the
// Guangzhou store, of the lot made 12 months ago, whose number LOT gives)
const SENDER = '广州办事处';
const PRODUCT = 'CL-32';
const LOT = env.LOT;  // e.g. CL-32-251129
const QUANTITY = 2;
const REASON = 'Q1';  // the code of the quality defect reason
const FAULT = '通电后灯管不亮，镇流器发烫';
const ASSESSMENT = '两盏吸顶灯镇流器故障，同批次，建议返厂检测。';
const SPECIAL_REQUEST = '门店客户投诉，需在本月返厂周之外发运。';
const SPECIAL_REASON = '同意特批：质量问题，尽快处理。';

const ROLES = Object.fromEntries(
    ['office', 'service', 'logistics'].map((role) => {
        const key = role.toUpperCase();
        return [role, [env[`${key}_LOGIN`] || 'admin',
            env[`${key}_PASSWORD`] || 'admin']];
    }));

// Log in as role and open the application numbered number
function openApplication(browser, role, number) {
    return Client.openRecord(browser, ROLES[role], MENU, number);
}

// Open the only line of the application in its dialog, fill values
// ({field name: value}) and apply
async function editLine(client, values) {
    const { tab } = client;
    const lines = tab.locator('.form-one2many').first();
    await client.showField(lines);
    // The quantity cell: the product and lot cells link to their records
    await lines.locator('.treeview tbody tr').first()
        .locator('.column-float').first().dblclick();
    const dialog = client.dialogWith('input[name="received_quantity"]');
    await dialog.waitFor();
    for (const [name, value] of Object.entries(values)) {
        const select = dialog.locator(`select[name="${name}"]`);
        if (await select.count()) {
            await select.selectOption(JSON.stringify(value));
        } else {
            await client.fill(dialog, name, value);
        }
    }
    return dialog;
}

await run(async (browser) => {

    step(`office manager: new application for ${QUANTITY} × ${LOT}`);
    let client = await Client.login(browser, ...ROLES.office);
    await client.openMenu(...MENU);
    let { tab } = client;
    await tab.locator('.treeview').first().waitFor();
    await client.shot('01-applications');
    await tab.locator('button#new_').click();
    const sender = tab.locator('input[name="sender"]');
    await sender.waitFor();
    if (!(await sender.inputValue())) {
        await client.fillMany2One(sender, SENDER);
    }
    // The planned dispatch defaults to the sender's next return week
    await client.waitUntil(async () => Boolean(await tab.locator(
        'input[name="planned_date"]').inputValue()), 'no planned dispatch');
    await client.fill(tab, 'special_request', SPECIAL_REQUEST);
    await client.fill(tab, 'assessment', ASSESSMENT);

    step('office manager: add the line');
    const lines = tab.locator('.form-one2many').first();
    await client.showField(lines);
    await lines.locator('.form-one2many-toolbar button').nth(3).click();
    const line = client.dialogWith('input[name="lot"]');
    await line.waitFor();
    await client.fillMany2One(line.locator('input[name="reason"]'), REASON);
    await client.fillMany2One(line.locator('input[name="product"]'), PRODUCT);
    await client.fillMany2One(line.locator('input[name="lot"]'), LOT);
    await client.fill(line, 'quantity', String(QUANTITY));
    await client.fill(line, 'description', FAULT);
    await client.shot('02-line');
    await line.locator('.modal-footer .btn-primary').click();
    await line.waitFor({ state: 'detached' });
    await client.save();
    const number = await tab.locator('input[name="number"]').inputValue();
    console.log(`application ${number}`);
    await client.shot('03-draft');

    step(`office manager: sign ${number}`);
    await client.click('sign', 'signed');
    await client.shot('04-signed');
    await client.close();

    step('customer service: grant the special approval');
    client = await openApplication(browser, 'service', number);
    ({ tab } = client);
    await client.fill(tab, 'special_reason', SPECIAL_REASON);
    await client.save();
    await client.click('approve_special');
    await client.shot('05-special-approval');
    await client.close();

    step('office manager: submit');
    client = await openApplication(browser, 'office', number);
    await client.click('submit', 'submitted');
    await client.shot('06-submitted');
    await client.close();

    step('customer service: approve');
    client = await openApplication(browser, 'service', number);
    await client.click('approve', 'approved');
    ({ tab } = client);
    const form = await tab.locator('input[name="form_number"]').inputValue();
    console.log(`registration form ${form}`);
    await client.shot('07-approved');
    await client.close();

    step('logistics: dispatch, receive and count');
    client = await openApplication(browser, 'logistics', number);
    ({ tab } = client);
    await client.click('ship', 'shipped');
    await client.shot('08-shipped');
    await client.fill(tab, 'received_form_number', form);
    await client.save();
    await client.click('arrive', 'arrived');
    await client.shot('09-arrived');
    let dialog = await editLine(client, {
        received_quantity: String(QUANTITY), condition: 'intact' });
    await client.shot('10-count-line');
    await dialog.locator('.modal-footer .btn-primary').click();
    await dialog.waitFor({ state: 'detached' });
    await client.save();
    await client.click('count', 'counted');
    await client.shot('11-counted');
    await client.close();

    step('customer service: exchange one lamp, credit the other');
    client = await openApplication(browser, 'service', number);
    ({ tab } = client);
    dialog = await editLine(client, {
        exchange_quantity: '1', credit_quantity: '1' });
    await client.shot('12-dispose-line');
    await dialog.locator('.modal-footer .btn-primary').click();
    await dialog.waitFor({ state: 'detached' });
    await client.save();
    await client.click('dispose', 'done');
    // The page of the credit note and the replacement shipment
    await client.showField(tab.locator('input[name="disposal_due"]').first());
    await client.shot('13-done');

    step('customer service: print the receipt');
    await tab.locator('button#print').click();
    const download = client.page.waitForEvent('download');
    await tab.locator('ul[aria-labelledby="print"] a',
        { hasText: RECEIPT }).click();
    // sao offers the file in a dialog whose link it clicks itself
    const file = await download;
    const kept = keep(`receipt${path.extname(file.suggestedFilename())}`);
    await file.saveAs(kept);
    const head = fs.readFileSync(kept).subarray(0, 4);
    const type = head.toString('latin1') === '%PDF' ? 'pdf'
        : head.toString('latin1') === 'PK\x03\x04' ? 'odt' : 'unknown';
    console.log(`receipt: ${file.suggestedFilename()} ${type}`);
    await client.shot('14-receipt');
    await client.close();
});
