// Helpers of the browser tests driving the Tryton web client (sao) with
// playwright-core and Debian's chromium.
//
// Environment (set by tests/test_browser.py):
//   BASE_URL            the trytond serving sao (started with -d <db>)
//   SCREENSHOTS         folder for the PNG files
//   PLAYWRIGHT_PREFIX   npm prefix holding node_modules/playwright-core
//   CHROMIUM            browser binary (default /usr/bin/chromium)
import { createRequire } from 'node:module';
import path from 'node:path';

export const env = process.env;
const BASE_URL = env.BASE_URL || 'http://localhost:8000/';
const SCREENSHOTS = env.SCREENSHOTS || 'tests/screenshots';
const require = createRequire(
    path.resolve(env.PLAYWRIGHT_PREFIX || 'var/browser', 'package.json'));
const { chromium } = require('playwright-core');

// The dialogs in which sao shows errors and warnings
const ERROR_DIALOGS = ['.warning-dialog', '.error-dialog',
    '.user-warning-dialog'].map((c) => `${c} .modal-dialog:visible`).join(', ');

// The path of a file the test keeps beside its screenshots
export function keep(name) {
    return path.join(SCREENSHOTS, name);
}

const start = Date.now();
export function step(name) {
    console.log(`[${((Date.now() - start) / 1000).toFixed(1)}s] ${name}`);
}

// One logged-in user of the web client, in a browser context of its own
export class Client {
    constructor(page) {
        this.page = page;
        this.menu = page.locator('#menu');
        this.tab = page.locator('#tabs .tab-pane.active');
        this.dialogs = page.locator('.modal-dialog:visible');
        // The calls to the server not answered yet, and all those sent
        this.pending = 0;
        this.sent = 0;
        page.on('request', () => { this.pending += 1; this.sent += 1; });
        const answered = () => { this.pending -= 1; };
        page.on('requestfinished', answered);
        page.on('requestfailed', answered);
        Client.current = this;  // the one failure.png shows
    }

    // Wait until the client has had no call to the server pending for a
    // moment: on a busy machine sao may still be loading the record whose
    // button a test is about to click, and drop the click
    async idle(quiet = 500) {
        let since = Date.now();
        await this.waitUntil(async () => {
            if (this.pending > 0) {
                since = Date.now();
            }
            return Date.now() - since >= quiet;
        }, 'the client stays busy', 60000);
    }

    // Open a page in a new browser context and log in
    static async login(browser, login, password) {
        const context = await browser.newContext({
            viewport: { width: 1400, height: 900 }, acceptDownloads: true });
        const page = await context.newPage();
        page.setDefaultTimeout(30000);
        page.on('pageerror',
            (error) => console.log(`page error: ${error.stack}`));
        const client = new Client(page);
        await page.goto(BASE_URL);
        await page.locator('#login').fill(login);
        // Sao ignores a click on Login until the server has listed its
        // databases, which takes a while on a busy machine: click again
        // until it asks for the password
        const entry = page.locator('#ask-dialog-entry');
        const quickly = { timeout: 5000 };
        await client.waitUntil(async () => {
            await page.locator('#database:visible').first().waitFor(quickly)
                .catch(() => {});
            await page.locator('button[type=submit]').click(quickly)
                .catch(() => {});
            return entry.waitFor(quickly).then(() => true, () => false);
        }, `${login} is not asked for a password`, 90000);
        await entry.fill(password);
        await entry.press('Enter');
        await client.menu.locator('.column-char').first().waitFor();
        return client;
    }

    // Log in, open the list of the menu entries labels and the record of
    // it whose row shows text, in the form of the tab
    static async openRecord(browser, [login, password], labels, text) {
        const client = await Client.login(browser, login, password);
        await client.openMenu(...labels);
        const { tab } = client;
        await client.showAll();
        const search = tab.locator('.filter-box input').first();
        await search.fill(text);
        await search.press('Enter');
        // Select the row and switch to the form, again while the list
        // reloads (a double click would open the list again in a new tab)
        const row = tab.locator('.treeview tbody tr').filter({ hasText: text })
            .first();
        const form = tab.locator('.form').first();
        const switchView = tab.locator('button#switch_');
        const quickly = { timeout: 5000 };
        await client.waitUntil(async () => {
            if (await form.isVisible()) {
                if (await client.formShows(text)) {
                    return true;
                }
                await switchView.click(quickly).catch(() => {});
            } else if (await row.isVisible()) {
                await row.locator('.selection-state input').check(quickly)
                    .catch(() => {});
                await switchView.click(quickly).catch(() => {});
            }
            await client.page.waitForTimeout(1000);
            return false;
        }, `${text} not opened`, 60000);
        return client;
    }

    // Whether an input or text area of the active tab's form shows text
    async formShows(text) {
        const values = await this.tab.locator(
            '.form input, .form textarea').evaluateAll(
            (inputs) => inputs.map((input) => input.value));
        return values.some((value) => value.includes(text));
    }

    async shot(name) {
        await this.page.waitForTimeout(500);  // let dialogs fade in or out
        await this.page.screenshot({ path: keep(`${name}.png`) });
    }

    menuEntry(label) {
        return this.menu.locator(`.column-char[title="${label}"]`);
    }

    // Click the menu entries of labels in turn, opening the last one
    async openMenu(...labels) {
        for (const [i, label] of labels.entries()) {
            const entry = this.menuEntry(label);
            await entry.waitFor();
            if (i < labels.length - 1) {
                // Expand a folder only when its children are not shown yet
                if (!(await this.menuEntry(labels[i + 1]).count())) {
                    await entry.click();
                }
            } else {
                await this.openTab(() => entry.click(), label);
            }
        }
    }

    // Call open and wait until it opened a tab and no other tab opens: sao
    // may open a menu entry a second time as it restores the saved state
    // of the menu
    async openTab(open, what) {
        const tabs = this.page.locator('#tablist > li');
        const before = await tabs.count();
        await open();
        let count = -1;
        await this.waitUntil(async () => {
            const now = await tabs.count();
            const settled = now > before && now === count;
            count = now;
            if (!settled) {
                await this.page.waitForTimeout(1500);
            }
            return settled;
        }, `${what} does not open`);
    }

    // Show every record of the list: its last tab, when it has tabs. Sao
    // may still be opening the list or restoring the menu, so the last tab
    // must stay the active one of the active list for a moment.
    async showAll() {
        await this.tab.locator('.treeview').first().waitFor();
        const active = (link) => link.evaluate(
            (a) => a.parentElement.classList.contains('active'));
        await this.waitUntil(async () => {
            const tabs = this.tab.locator('.tab-domain li a');
            if (!(await tabs.count())) {
                return true;
            }
            if (!(await active(tabs.last()))) {
                await tabs.last().click();
            }
            await this.page.waitForTimeout(500);
            return active(this.tab.locator('.tab-domain li a').last());
        }, 'the list does not show every record');
    }

    // Wait until the input shows a value containing text
    async waitForValue(input, text) {
        await this.waitUntil(
            async () => (await input.inputValue()).includes(text),
            `${input} does not show "${text}"`);
    }

    // The visible dialog holding selector
    dialogWith(selector) {
        return this.dialogs.filter({ has: this.page.locator(selector) });
    }

    // Wait until check() is true, failing with what after timeout and with
    // the text of the message dialogs sao shows
    async waitUntil(check, what, timeout = 30000) {
        const end = Date.now() + timeout;
        while (!(await check())) {
            const errors = this.page.locator(ERROR_DIALOGS);
            if (await errors.count()) {
                throw new Error(`${what}: `
                    + (await errors.allInnerTexts()).join(' | '));
            }
            if (Date.now() > end) {
                throw new Error(`${what}: timed out`);
            }
            await this.page.waitForTimeout(100);
        }
    }

    // Fill the Many2One input with text and wait for the record whose name
    // contains text: sao completes the field, or asks to pick the record
    // in a search dialog
    async fillMany2One(input, text) {
        const cell = this.page.locator('.treeview tbody td', { hasText: text });
        const search = this.dialogs.filter({ has: cell }).last();
        let typed = 0;
        await this.waitUntil(async () => {
            if ((await input.inputValue()).includes(text)) {
                return true;
            }
            if (await search.count()) {
                await search.locator(cell).first().click();
                await search.locator('.modal-footer .btn-primary').click();
                await search.waitFor({ state: 'detached' });
            } else if (Date.now() - typed > 5000) {
                // Type again what a reload of the form may have wiped out
                await input.fill(text);
                await input.press('Tab');
                typed = Date.now();
            }
            return false;
        }, `${input} not set to ${text}`);
    }

    // Show the notebook page holding field
    async showField(field) {
        if (await field.isVisible()) {
            return;
        }
        const pane = await field.evaluate((el) => {
            const pane = el.closest('.tab-pane');
            return pane && !pane.classList.contains('active') ? pane.id : null;
        });
        if (pane) {
            await this.page.locator(`a[href="#${pane}"]`).click();
        }
        await field.waitFor();
    }

    // Fill the input or text area of the form (or dialog) named name; sao
    // shows a number's text input, or its number input while focused
    async fill(container, name, value) {
        const field = container.locator([
                `input[name="${name}"]:visible`,
                `textarea[name="${name}"]:visible`].join(', ')).first();
        if (!(await field.count())) {
            await this.showField(container.locator(`[name="${name}"]`).first());
        }
        // An on_change answered meanwhile may reset the field: fill again
        await this.waitUntil(async () => {
            await field.fill(value);
            await field.press('Tab');
            await this.page.waitForTimeout(300);
            return Boolean(await field.inputValue());
        }, `${name} not set to ${value}`);
    }

    // Save the record of the active tab
    async save() {
        const button = this.tab.locator('button#save');
        await button.click();
        await this.waitUntil(
            async () => !(await button.isEnabled()), 'not saved');
    }

    // Click the button named name of the active tab's form, accept its
    // confirmation, and wait until the form's field (its state by default)
    // is state or, without state, until the button is hidden
    async click(name, state, field = 'state') {
        // The form's own button, after those of its lines' lists
        const button = this.tab.locator(`button[name="${name}"]`).last();
        const confirm = this.page.locator('.confirmation-dialog .modal-dialog');
        const select = this.tab.locator(`select[name="${field}"]`);
        let sent, clicked;
        const press = async () => {
            await this.idle();
            sent = this.sent;
            clicked = Date.now();
            await button.click();
        };
        await press();
        await this.waitUntil(async () => {
            if (await confirm.isVisible()) {
                await confirm.locator('.btn-primary').click();
                await confirm.waitFor({ state: 'hidden' });
            }
            if (state === undefined
                    ? !(await button.isVisible())
                    // sao's options hold values as JSON
                    : (await select.inputValue()) === JSON.stringify(state)) {
                return true;
            }
            // Sao answers a click on a button with a call to the server or
            // a dialog. On a busy machine it may drop the click while it
            // draws the form again: a click that brought neither is lost,
            // and clicking again cannot do the action twice.
            if (this.sent === sent && Date.now() - clicked > 5000
                    && !(await this.dialogs.count())) {
                console.log(`the click on ${name} was lost: clicking again`);
                await press();
            }
            return false;
        }, `${name} did not lead to ${state || 'its end'}`);
    }

    async close() {
        await this.page.context().close();
    }
}

// Run main(browser); on failure, print the error, take failure.png of the
// last client logged in and exit non-zero
export async function run(main) {
    const browser = await chromium.launch({
        executablePath: env.CHROMIUM || '/usr/bin/chromium',
        args: ['--no-sandbox', '--headless', '--disable-gpu', '--disable-quic',
            '--no-first-run', '--disable-background-networking',
            '--disable-component-update', '--disable-sync'],
    });
    try {
        await main(browser);
        step('done');
    } catch (error) {
        console.error(`FAILED: ${error.stack || error.message}`);
        if (Client.current) {
            await Client.current.shot('failure').catch(() => {});
        }
        await browser.close();
        process.exit(1);
    }
    await browser.close();
}
