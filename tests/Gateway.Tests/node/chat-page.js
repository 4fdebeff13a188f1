// What the Chat browser scripts share: the headless Chromium they drive, and the page's join and send forms.
// The browser is the headless Chromium shipped inside the npm package @sparticuz/chromium (restored by the test
// project's build), so no system browser is needed; CHROMIUM_PATH names a system Chromium to use instead.
const { chromium } = require('playwright-core');
const bundled = require('@sparticuz/chromium').default;

async function launch() {
  const system = process.env.CHROMIUM_PATH;
  return chromium.launch({
    executablePath: system || await bundled.executablePath(),
    args: system
      ? ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
        '--disable-component-update', '--disable-sync']
      : bundled.args,
  });
}

async function join(page, nick, room) {
  await page.fill('#nick', nick);
  await page.fill('#room', room);
  await page.click('#join button');
  await page.waitForSelector(`body[data-room="${room}"]`);
}

async function say(page, text) {
  await page.fill('#text', text);
  await page.click('#say button');
}

module.exports = { launch, join, say };
