import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { expect } from 'chai';
import type { Page } from 'playwright-core';
import { AgentsService } from '../../src/modules/agents/agents.service';
import { copyFixture, MODEL_FIXTURES, tarGz } from '../integration/support/template-archives';
import { createTestDatabase, type TestDatabase } from '../integration/support/test-database';
import { TEST_ADMIN_PASSWORD, startTestDm, type TestDm } from '../integration/support/test-dm';
import { launchTestBrowser, type TestBrowser } from './support/browser';
import { SimulatedAgent } from './support/simulated-agent';

const ARTIFACTS = resolve(__dirname, '../../../../test/artifacts');
const AGENT = 'host-console-1';
const THUMBPRINT = `sha256:${'0123456789abcdef'.repeat(4)}`;
const APPLICATION = 'shop';
const ROOTS = ['/db-vm', '/app-vm', '/web-vm'];
const UI_TIMEOUT_MS = 30_000;

/** The little of the browser's DOM these page functions touch (the tests compile without lib.dom). */
interface BrowserGlobals {
  document: {
    querySelectorAll(selector: string): ArrayLike<{ getAttribute(name: string): string | null }>;
    querySelector(selector: string): { textContent: string | null } | null;
    body: {
      addEventListener(type: string, listener: (event: { target: BrowserElement }) => void): void;
    };
    documentElement: { scrollWidth: number; clientWidth: number };
  };
  consoleTestMarker?: string;
  isOutputOpen?: boolean;
}

/** An element, as far as these page functions use it. */
interface BrowserElement {
  matches(selector: string): boolean;
}

/** Resolves once every instance row and every tree node of the page shows the state. */
async function waitForAllInState(page: Page, state: string): Promise<void> {
  await page.waitForFunction(
    (wanted) => {
      const { document } = globalThis as unknown as BrowserGlobals;
      const marks = Array.from(document.querySelectorAll('#instances .state, svg g.instance'));
      return marks.length > 0 && marks.every((mark) => mark.getAttribute('data-state') === wanted);
    },
    state,
    { timeout: UI_TIMEOUT_MS },
  );
}

describe('DM web console in chromium', function () {
  this.timeout(180_000);
  let database: TestDatabase;
  let dm: TestDm;
  let browser: TestBrowser;
  let agent: SimulatedAgent;
  let page: Page;
  let scratch: string;

  before(async () => {
    scratch = await mkdtemp(join(tmpdir(), 'flotilla-console-test-'));
    database = await createTestDatabase('embedded');
    dm = await startTestDm(database);
    agent = new SimulatedAgent(dm.server.app, AGENT, APPLICATION, (path, step) => ({
      logTail: `${step} of ${path}: ok\n`,
      openPorts: path === '/db-vm/db' && step === 'start' ? [{ port: 15432, protocol: 'tcp' }] : [],
    }));
    browser = await launchTestBrowser();
    page = await browser.context.newPage();
  });

  after(async () => {
    await browser?.close();
    await agent?.stop();
    await dm?.server.close();
    await database?.drop();
    await rm(scratch, { recursive: true, force: true });
  });

  it('should send a visitor without a session to the login page, then log in', async () => {
    await page.goto(`${dm.server.url}/console/agents`);
    expect(new URL(page.url()).pathname).to.equal('/console/login');
    await page.fill('#username', 'admin');
    await page.fill('#password', TEST_ADMIN_PASSWORD);
    await Promise.all([
      page.waitForURL('**/console/applications'),
      page.click('button[type=submit]'),
    ]);
    expect(await page.textContent('h1')).to.equal('Applications');
  });

  it('should show a pending agent with its full thumbprint and accept it', async () => {
    await dm.server.app.get(AgentsService).recordEnrollment({
      name: AGENT,
      thumbprint: THUMBPRINT,
      hostFacts: { os: 'debian', addresses: '10.0.0.5' },
    });
    await page.goto(`${dm.server.url}/console/agents`);
    const pending = page.locator(`#pending-agents tr[data-agent="${AGENT}"]`);
    expect(await pending.locator('.thumbprint').textContent()).to.equal(THUMBPRINT);
    await Promise.all([page.waitForURL('**/console/agents'), pending.getByText('Accept').click()]);
    expect(await page.locator(`#accepted-agents tr[data-agent="${AGENT}"]`).count()).to.equal(1);
    expect(await page.locator('#pending-agents').count()).to.equal(0);
  });

  it('should list an agent that enrolls while the page is open, then reject it', async () => {
    await page.evaluate(() => {
      (globalThis as unknown as BrowserGlobals).consoleTestMarker = 'agents page';
    });
    const late = `${AGENT}-late`;
    await dm.server.app.get(AgentsService).recordEnrollment({
      name: late,
      thumbprint: `sha256:${'fedcba9876543210'.repeat(4)}`,
      hostFacts: { os: 'debian' },
    });
    const row = page.locator(`#pending-agents tr[data-agent="${late}"]`);
    await row.waitFor({ timeout: UI_TIMEOUT_MS });
    const marker = await page.evaluate(
      () => (globalThis as unknown as BrowserGlobals).consoleTestMarker,
    );
    expect(marker).to.equal('agents page');
    await Promise.all([page.waitForURL('**/console/agents'), row.getByText('Reject').click()]);
    expect(await page.locator(`#rejected-agents tr[data-agent="${late}"]`).count()).to.equal(1);
  });

  it('should show every error of a refused template as file:line:column, on the same page', async () => {
    const copy = await copyFixture('three-tier');
    try {
      await copy.edit(
        'graph/main.graph',
        (text) => `${text}\nBroken {\n  installer: script;\n  bogus: 1;\n`,
      );
      const archive = join(scratch, 'broken.tar.gz');
      await writeFile(archive, await tarGz(copy.directory));
      await page.goto(`${dm.server.url}/console/applications`);
      await page.setInputFiles('#archive', archive);
      await page.click('#create-application button[type=submit]');
      const diagnostics = page.locator('#create-result ul.diagnostics li');
      await diagnostics.first().waitFor({ timeout: UI_TIMEOUT_MS });
      for (const text of await diagnostics.allTextContents()) {
        expect(text.trim()).to.match(/^graph\/main\.graph:\d+:\d+: .+/);
      }
      expect(new URL(page.url()).pathname).to.equal('/console/applications');
    } finally {
      await copy.remove();
    }
  });

  it('should create an application from the uploaded sample template', async () => {
    const archive = join(scratch, 'three-tier.tar.gz');
    await writeFile(archive, await tarGz(join(MODEL_FIXTURES, 'three-tier')));
    await page.goto(`${dm.server.url}/console/applications`);
    await page.setInputFiles('#archive', archive);
    await page.fill('#app-name', APPLICATION);
    await Promise.all([
      page.waitForURL(`**/console/applications/${APPLICATION}`),
      page.click('#create-application button[type=submit]'),
    ]);
    await waitForAllInState(page, 'not_deployed');
  });

  it('should bind each root instance to the accepted agent', async () => {
    for (const root of ROOTS) {
      const row = page.locator(`#instances tr[data-path="${root}"]`);
      await row.locator(`form[data-bind-of="${root}"] select`).selectOption(AGENT);
      await row.locator(`form[data-bind-of="${root}"] button`).click();
      await page.waitForFunction(
        ({ path, agent }) => {
          const { document } = globalThis as unknown as BrowserGlobals;
          const cell = document.querySelector(`#instances tr[data-path="${path}"] td:nth-child(3)`);
          return cell?.textContent?.includes(agent) === true;
        },
        { path: root, agent: AGENT },
        { timeout: UI_TIMEOUT_MS },
      );
    }
  });

  it('should turn every instance to started live, without reloading the page', async () => {
    await page.reload();
    await page.evaluate(() => {
      (globalThis as unknown as BrowserGlobals).consoleTestMarker = 'same page';
    });
    await page.click('button[data-bulk="start"]');
    await waitForAllInState(page, 'deployed_started');
    const marker = await page.evaluate(
      () => (globalThis as unknown as BrowserGlobals).consoleTestMarker,
    );
    expect(marker).to.equal('same page');
    expect(
      await page.locator('svg g.instance text', { hasText: 'state: started' }).count(),
    ).to.equal(6);
    const db = page.locator('#instances tr[data-path="/db-vm/db"]');
    expect(await db.locator('td').nth(2).textContent()).to.contain(AGENT);
    expect((await db.locator('td').nth(3).innerText()).trim()).to.equal('15432/tcp');
    expect(agent.errors).to.deep.equal([]);
  });

  it("should stop one instance only, live, streaming its step's output as text", async () => {
    await page.evaluate(() => {
      const globals = globalThis as unknown as BrowserGlobals;
      globals.document.body.addEventListener('htmx:sseOpen', (event) => {
        if (event.target.matches('.live-output')) {
          globals.isOutputOpen = true;
        }
      });
    });
    await page.click('#instances tr[data-path="/web-vm/web"] button[data-logs]');
    await page.waitForFunction(() => (globalThis as unknown as BrowserGlobals).isOutputOpen, null, {
      timeout: UI_TIMEOUT_MS,
    });
    const form = page.locator('form[data-actions-of="/web-vm/web"]');
    await form.locator('select[name=state]').selectOption({ label: 'stop' });
    await form.locator('select[name=scope]').selectOption('instance');
    await form.locator('button').click();
    await page.waitForSelector(
      '#instances tr[data-path="/web-vm/web"] .state[data-state="deployed_stopped"]',
      { timeout: UI_TIMEOUT_MS },
    );
    const started = await page.locator('#instances .state[data-state="deployed_started"]').count();
    expect(started).to.equal(5);
    const output = page.locator('#logs .live-output');
    await output.filter({ hasText: 'stop of /web-vm/web' }).waitFor({ timeout: UI_TIMEOUT_MS });
    expect(await output.textContent()).to.equal('stop of /web-vm/web: <b>running</b>\n');
  });

  it('should fit a tablet width without the page scrolling sideways', async () => {
    await page.setViewportSize({ width: 768, height: 1024 });
    const { scrollWidth, clientWidth } = await page.evaluate(() => {
      const { documentElement } = (globalThis as unknown as BrowserGlobals).document;
      return { scrollWidth: documentElement.scrollWidth, clientWidth: documentElement.clientWidth };
    });
    expect(scrollWidth).to.be.at.most(clientWidth);
    await mkdir(ARTIFACTS, { recursive: true });
    await page.screenshot({
      path: join(ARTIFACTS, 'console-application-tablet.png'),
      fullPage: true,
    });
    await page.setViewportSize({ width: 1366, height: 900 });
  });

  it("should show an instance's recipe runs with exit codes and logs", async () => {
    await page.click('#instances tr[data-path="/db-vm/db"] button[data-logs]');
    const runs = page.locator('#logs [data-runs="/db-vm/db"]');
    await runs.waitFor({ timeout: UI_TIMEOUT_MS });
    expect(await runs.locator('pre.log').allTextContents()).to.include.members([
      'start of /db-vm/db: ok\n',
      'deploy of /db-vm/db: ok\n',
    ]);
    expect(await runs.locator('.exit-code').allTextContents()).to.deep.equal(['0', '0']);
    await mkdir(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: join(ARTIFACTS, 'console-application.png'), fullPage: true });
  });
});
