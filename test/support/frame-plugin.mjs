/**
 * A test-runner command that runs a function in a frame of the test page, whatever its origin:
 * for the iframe embed, whose page is on the API server's origin, out of reach of the test
 * page's own scripts as it is of a partner page's. Browser side (test/browser/iframe-embed.test.ts):
 * `executeServerCommand('evaluate-in-frame', { url, fn, args })` runs `fn` (its source) with
 * `args` in the first frame whose address contains `url`, and returns what it resolves to.
 * Through Puppeteer (Chromium, Firefox) or WebDriver (WebKit).
 */
export function framePlugin() {
  return {
    name: 'evaluate-in-frame',
    async executeCommand({ command, payload, session }) {
      if (command !== 'evaluate-in-frame') return undefined;
      const call = `(${payload.fn})(...${JSON.stringify(payload.args ?? [])})`;
      if (session.browser.type === 'puppeteer') {
        // The browser may tell of the frame a moment after the page saw it load.
        const page = session.browser.getPage(session.id);
        const frame = await page.waitForFrame((candidate) => candidate.url().includes(payload.url));
        return frame.evaluate(call);
      }
      if (session.browser.type === 'webdriver') {
        // One session at a time (concurrency 1): the driver's window is this test page.
        const { driver } = session.browser;
        for (const frame of await driver.$$('iframe')) {
          if (!String(await frame.getProperty('src')).includes(payload.url)) continue;
          await driver.switchToFrame(frame);
          try {
            // WebDriver waits for a promise the script returns.
            return await driver.execute(`return ${call}`);
          } finally {
            await driver.switchToParentFrame();
          }
        }
        throw new Error(`no frame at ${payload.url}`);
      }
      throw new Error(`frames cannot be reached in ${session.browser.type}`);
    },
  };
}
