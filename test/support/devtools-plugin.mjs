/**
 * A test-runner command for forced colours (Windows high contrast): `emulateMedia` from
 * @web/test-runner-commands sets only colour scheme and reduced motion in Chromium, so this asks
 * the browser itself over the DevTools protocol. Browser side:
 * `executeServerCommand('emulate-forced-colors', 'active' | 'none')`.
 */
export function forcedColorsPlugin() {
  // One protocol session per page, kept open: the emulation lasts as long as its session.
  const sessions = new Map();
  return {
    name: 'emulate-forced-colors',
    async executeCommand({ command, payload, session }) {
      if (command !== 'emulate-forced-colors') return undefined;
      if (payload !== 'active' && payload !== 'none') throw new Error('emulate-forced-colors takes "active" or "none"');
      if (session.browser.type !== 'puppeteer') throw new Error(`forced colours cannot be emulated in ${session.browser.type}`);
      let cdp = sessions.get(session.id);
      if (!cdp) sessions.set(session.id, (cdp = await session.browser.getPage(session.id).createCDPSession()));
      await cdp.send('Emulation.setEmulatedMedia', { features: [{ name: 'forced-colors', value: payload }] });
      return true;
    },
  };
}
