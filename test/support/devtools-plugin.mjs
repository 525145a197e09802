/**
 * Test-runner commands that ask Chromium itself, over the DevTools protocol, for what a page
 * cannot set and @web/test-runner-commands does not offer. Browser side:
 *   `executeServerCommand('emulate-forced-colors', 'active' | 'none')`: forced colours (Windows
 *   high contrast); `emulateMedia` sets only colour scheme and reduced motion in Chromium.
 *   `executeServerCommand('default-font-size', px)`: the visitor's own font-size setting (the
 *   browser's default size, which `medium` is), 16 as the browser ships.
 */
export function devtoolsPlugin() {
  // One protocol session per page, kept open: an emulation lasts as long as its session.
  const sessions = new Map();
  const protocol = async (session) => {
    if (session.browser.type !== 'puppeteer') throw new Error(`the DevTools protocol cannot be reached in ${session.browser.type}`);
    let cdp = sessions.get(session.id);
    if (!cdp) sessions.set(session.id, (cdp = await session.browser.getPage(session.id).createCDPSession()));
    return cdp;
  };
  return {
    name: 'devtools',
    async executeCommand({ command, payload, session }) {
      if (command === 'emulate-forced-colors') {
        if (payload !== 'active' && payload !== 'none') throw new Error('emulate-forced-colors takes "active" or "none"');
        await (await protocol(session)).send('Emulation.setEmulatedMedia', { features: [{ name: 'forced-colors', value: payload }] });
        return true;
      }
      if (command === 'default-font-size') {
        if (!Number.isInteger(payload) || payload < 6) throw new Error('default-font-size takes a size in px');
        await (await protocol(session)).send('Page.setFontSizes', { fontSizes: { standard: payload } });
        return true;
      }
      return undefined;
    },
  };
}
