/**
 * A test-runner command that runs a function in a frame of the test page, whatever its origin:
 * for the iframe embed, whose page is on the API server's origin, out of reach of the test
 * page's own scripts as it is of a partner page's. Browser side (test/browser/support/frames.ts):
 * `executeServerCommand('evaluate-in-frame', { url, fn, args })` runs `fn` (its source) with
 * `args` in the first frame whose address contains `url`, and returns what it resolves to.
 */
export function framePlugin() {
  return {
    name: 'evaluate-in-frame',
    async executeCommand({ command, payload, session }) {
      if (command !== 'evaluate-in-frame') return undefined;
      if (session.browser.type !== 'puppeteer') throw new Error(`frames cannot be reached in ${session.browser.type}`);
      // The browser may tell of the frame a moment after the page saw it load.
      const frame = await session.browser.getPage(session.id).waitForFrame((candidate) => candidate.url().includes(payload.url));
      return frame.evaluate(`(${payload.fn})(...${JSON.stringify(payload.args ?? [])})`);
    },
  };
}
