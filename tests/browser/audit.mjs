// An audit's approval and the rectification of one of its findings, in the
// web client, in zh_CN, role by role, taking a screenshot per step: the
// marketing vice-president approves a submitted audit plan and forwards a
// finding of a reported audit to the line department; the line manager
// orders its rectification; the audited office answers the order.
//
// Run by tests/test_browser.py; environment: as lib.mjs says, and
//   VP_LOGIN, LINE_LOGIN, OFFICE_LOGIN   the demo logins of the roles
//   PASSWORD                             their password
// Prints "rectification <number> done" at the end.
import { Client, env, run, step } from './lib.mjs';

// Menus as a zh_CN user sees them
const MENU = ['售后服务', '审计'];
const PLANS = [...MENU, '审计计划'];
const FINDINGS = [...MENU, '审计发现'];
const RECTIFICATIONS = [...MENU, '整改指令'];
const VP = [env.VP_LOGIN || 'admin', env.PASSWORD || 'admin'];
const LINE = [env.LINE_LOGIN || 'admin', env.PASSWORD || 'admin'];
const OFFICE = [env.OFFICE_LOGIN || 'admin', env.PASSWORD || 'admin'];
// The demo's plan awaiting approval (the fourth one it creates) and the
// finding of a reported audit not yet forwarded
const PLAN = 'AUD-00004';
const FINDING = '回访记录有三条未填写结果';
const OWNER = '罗娟';
const INSTRUCTIONS = '三日内补填回访结果，并由办事处经理抽查。';
const DONE = '已补填三条回访结果，经理抽查无误。';

await run(async (browser) => {

    step(`vice-president: approve ${PLAN}`);
    let client = await Client.openRecord(browser, VP, PLANS, PLAN);
    let { tab } = client;
    await client.shot('01-plan');
    await client.click('approve', 'approved');
    await client.shot('02-approved');
    await client.close();

    step('vice-president: forward a reported finding');
    client = await Client.openRecord(browser, VP, FINDINGS, FINDING);
    ({ tab } = client);
    await client.click('forward', 'forwarded');
    await client.shot('03-forwarded');
    await client.close();

    step('line manager: order its rectification');
    client = await Client.login(browser, ...LINE);
    await client.openMenu(...RECTIFICATIONS);
    ({ tab } = client);
    await tab.locator('.treeview').first().waitFor();
    await tab.locator('button#new_').click();
    await client.fillMany2One(tab.locator('input[name="finding"]'), FINDING);
    await client.fillMany2One(tab.locator('input[name="owner"]'), OWNER);
    await client.fill(tab, 'instructions', INSTRUCTIONS);
    await client.save();
    const number = await tab.locator('input[name="number"]').inputValue();
    console.log(`rectification ${number}`);
    await client.shot('04-ordered');
    await client.close();

    step(`office: answer ${number}`);
    client = await Client.openRecord(browser, OFFICE, RECTIFICATIONS, number);
    ({ tab } = client);
    await client.fill(tab, 'done_note', DONE);
    await client.save();
    await client.click('do', 'done');
    await client.shot('05-done');
    console.log(`rectification ${number} done`);
    await client.close();
});
