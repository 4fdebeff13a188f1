// The Chat sample's page (on @gateway-dotnet/client) through a server restart, in headless Chromium: ann and bob
// chat, the server stops, both say something while it is down, it starts again on the same port, and both go on
// without a reload. Then screenshots of ann's page at desktop and phone width.
// Usage: node chat-restart.js <path of Chat.dll> <folder for the screenshots>
// Prints one JSON line per page: its chat lines, its lines still pending or failed, and, at phone width, whether the
// page is wider than the screen.
const path = require('node:path');
const { launch, join, say, freePort, startServer, stopServer, openPage, delivered, report } = require('./chat-page');

const [dll, screenshots] = process.argv.slice(2);
const long = 'w'.repeat(160); // one long word: it must wrap, not widen the page

(async () => {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}/`;
  let { server, started } = startServer(dll, port);
  await started;
  const browser = await launch();
  try {
    const ann = await openPage(browser, url);
    const bob = await openPage(browser, url);
    await join(ann, 'ann', 'lobby');
    await join(bob, 'bob', 'lobby');
    await say(ann, 'one');
    await delivered(bob, 'ann: one');
    await say(bob, 'two');
    await delivered(ann, 'bob: two');

    // The server goes away: both pages see it, and what they say meanwhile waits, shown as sending.
    await stopServer(server);
    await ann.waitForSelector('body[data-state="reconnecting"]');
    await bob.waitForSelector('body[data-state="reconnecting"]');
    await say(ann, 'while down');
    await say(bob, 'also while down');
    await ann.waitForSelector('#messages li.pending:text-is("ann: while down")');
    console.log(JSON.stringify({ page: 'ann-while-down', state: await ann.getAttribute('body', 'data-state'), ...await report(ann) }));

    // Back on the same port: the pages reconnect, rejoin and send what waited, without a reload.
    ({ server, started } = startServer(dll, port));
    await started;
    await ann.waitForSelector('body[data-state="online"]', { timeout: 30_000 });
    await bob.waitForSelector('body[data-state="online"]', { timeout: 30_000 });
    for (const page of [ann, bob]) {
      await delivered(page, 'ann: while down');
      await delivered(page, 'bob: also while down');
    }
    await say(bob, long);
    await delivered(ann, `bob: ${long}`);
    await say(ann, 'after');
    await delivered(bob, 'ann: after');

    for (const [name, page] of [['ann', ann], ['bob', bob]]) {
      console.log(JSON.stringify({ page: name, state: await page.getAttribute('body', 'data-state'), ...await report(page) }));
    }

    await ann.screenshot({ path: path.join(screenshots, 'chat-desktop.png') });
    await ann.setViewportSize({ width: 390, height: 844 });
    const overflow = await ann.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    await ann.screenshot({ path: path.join(screenshots, 'chat-phone.png') });
    console.log(JSON.stringify({ page: 'ann-phone', overflow }));
  } finally {
    await browser.close();
    if (server.exitCode === null) await stopServer(server);
  }
})().catch(error => {
  console.error(error);
  process.exit(1);
});
