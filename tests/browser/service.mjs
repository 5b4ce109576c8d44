// Take a complaint call to the step where its responsibility is assigned,
// in the web client, in zh_CN, as the hotline clerk, taking a screenshot per
// step: the clerk records the call of an unknown caller, which opens a
// complaint; she judges it valid, classes it as a service complaint, and
// gives it to the department answering for transport.
//
// Run by tests/test_browser.py; environment: as lib.mjs says, and
//   CLERK_LOGIN, CLERK_PASSWORD   the hotline clerk (default admin / admin)
// Prints "complaint <number> assigned" at the end.
import { Client, env, run, step } from './lib.mjs';

// Menus as a zh_CN user sees them
const MENU = ['售后服务', '客户服务'];
const CALLS = [...MENU, '热线来电'];
const COMPLAINTS = [...MENU, '投诉'];
const CLERK = [env.CLERK_LOGIN || 'admin', env.CLERK_PASSWORD || 'admin'];
// The call: a caller whose phone number the hotline has never seen
const PHONE = '13912345678';
const CALLER = '欧阳明';
const CITY = '广州市';
const STREET = '越秀区中山五路 33 号';
const TARGET = '送货服务';
const REASON = '送货员把吸顶灯放在楼下就走了，没有送上楼。';
const JUDGEMENT = '客户所述属实，送货未按约定送货上门。';
const RESPONSIBILITY = '运输';  // the cause answered for by logistics
const ASSIGNMENT = '请物流部核查送货记录并回复客户。';

// Choose the value of the selection field name of container
async function select(container, name, value) {
    await container.locator(`select[name="${name}"]`)
        .selectOption(JSON.stringify(value));
}

await run(async (browser) => {

    step('clerk: a complaint call of a new caller');
    let client = await Client.login(browser, ...CLERK);
    await client.openMenu(...CALLS);
    let { tab } = client;
    await tab.locator('.treeview').first().waitFor();
    await client.shot('01-calls');
    await tab.locator('button#new_').click();
    await tab.locator('input[name="phone"]').waitFor();
    await select(tab, 'kind', 'complaint');
    await client.fill(tab, 'phone', PHONE);
    await client.fill(tab, 'caller_name', CALLER);
    await client.fillMany2One(tab.locator('input[name="subdivision"]'), CITY);
    await client.fill(tab, 'street', STREET);
    await client.fill(tab, 'complaint_target', TARGET);
    await client.fill(tab, 'complaint_reason', REASON);
    await client.save();
    const call = await tab.locator('input[name="number"]').inputValue();
    console.log(`call ${call}`);
    await client.shot('02-call');

    step(`clerk: record ${call}, which opens its complaint`);
    await client.click('record', 'recorded');
    const complaint = tab.locator('input[name="complaint"]');
    await client.waitUntil(
        async () => Boolean(await complaint.inputValue()), 'no complaint');
    const number = await complaint.inputValue();
    console.log(`complaint ${number}`);
    await client.shot('03-recorded');
    await client.close();

    step(`clerk: judge and classify ${number}`);
    client = await Client.openRecord(browser, CLERK, COMPLAINTS, number);
    ({ tab } = client);
    await client.shot('04-complaint');
    await client.showField(tab.locator('select[name="validity"]'));
    await select(tab, 'validity', 'valid');
    await select(tab, 'complaint_class', 'service');
    await client.fill(tab, 'judgement', JUDGEMENT);
    await client.save();
    await client.click('classify', 'classified', 'step');
    await client.shot('05-classified');

    step(`clerk: assign ${number} to whom answers for transport`);
    const responsibility = tab.locator('input[name="responsibility"]');
    await client.showField(responsibility);
    await client.fillMany2One(responsibility, RESPONSIBILITY);
    await client.fill(tab, 'assignment', ASSIGNMENT);
    await client.save();
    await client.click('assign', 'assigned', 'step');
    await client.shot('06-assigned');
    console.log(`complaint ${number} assigned`);
    await client.close();
});
