// What the Chat browser scripts share: the headless Chromium they drive, the page's join and send forms, what a page
// shows, and the Chat sample started and stopped as its own process.
// The browser is the headless Chromium shipped inside the npm package @sparticuz/chromium (restored by the test
// project's build), so no system browser is needed; CHROMIUM_PATH names a system Chromium to use instead.
const { spawn } = require('node:child_process');
const net = require('node:net');
const path = require('node:path');
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

function freePort() {
  return new Promise(resolve => {
    const server = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

function startServer(dll, port) {
  const server = spawn('dotnet', [dll, '--urls', `http://127.0.0.1:${port}`], { cwd: path.dirname(dll) });
  let output = '';
  const started = new Promise((resolve, reject) => {
    server.stdout.on('data', chunk => {
      output += chunk;
      if (output.includes('Now listening on')) resolve();
    });
    server.stderr.on('data', chunk => { output += chunk; });
    server.on('exit', code => reject(new Error(`the Chat sample exited (${code}) before listening:\n${output}`)));
  });
  return { server, started };
}

async function stopServer(server) {
  const exited = new Promise(resolve => server.on('exit', resolve));
  server.kill('SIGTERM'); // a graceful shutdown: connections are closed as the server goes away
  await exited;
}

async function openPage(browser, url) {
  const page = await (await browser.newContext({ viewport: { width: 1280, height: 800 } })).newPage();
  await page.goto(url);
  await page.waitForSelector('body[data-state="online"]');
  return page;
}

// A chat line as said by the server (not still pending) on the page.
const delivered = (page, line) => page.waitForSelector(`#messages li:not(.system):not(.pending):text-is("${line}")`);

async function report(page) {
  return page.$$eval('#messages li', items => ({
    messages: items.filter(i => !i.classList.contains('system')).map(i => i.textContent),
    pending: items.filter(i => i.classList.contains('pending')).map(i => i.textContent),
    failed: items.filter(i => i.classList.contains('failed')).map(i => i.textContent),
  }));
}

module.exports = { launch, join, say, freePort, startServer, stopServer, openPage, delivered, report };
