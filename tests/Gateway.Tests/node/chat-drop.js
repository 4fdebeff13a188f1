// The Chat sample's page (on @gateway-dotnet/client) through a network drop, in headless Chromium: ann's page goes
// through a TCP proxy that cuts every connection and refuses new ones for a while, as a lost network does; bob
// talks meanwhile, ann types; when the network comes back her connection is resumed: no reload, no rejoin, bob's
// lines arrive once, hers are said once, and nobody saw her leave.
// Usage: node chat-drop.js <path of Chat.dll>
// Prints one JSON line per page: its chat lines (and system lines), its lines still pending or failed.
const path = require('node:path');
const { launch, join, say, freePort, startServer, stopServer, openPage, delivered, report } = require('./chat-page');
const { Proxy } = require(path.join(__dirname, '..', '..', '..', 'src', 'gateway-client', 'test-support', 'proxy.cjs'));

const [dll] = process.argv.slice(2);

(async () => {
  const port = await freePort();
  const { server, started } = startServer(dll, port);
  await started;
  const proxy = await Proxy.start(new URL(`http://127.0.0.1:${port}/`));
  const browser = await launch();
  try {
    const ann = await openPage(browser, `http://127.0.0.1:${proxy.port}/`);
    const bob = await openPage(browser, `http://127.0.0.1:${port}/`);
    await join(ann, 'ann', 'lobby');
    await join(bob, 'bob', 'lobby');
    await say(ann, 'one');
    await delivered(bob, 'ann: one');

    // The network goes: ann's page sees it; bob does not (the server keeps ann's connection, and her place).
    await proxy.pause();
    await ann.waitForSelector('body[data-state="reconnecting"]');
    await say(bob, 'while ann is away');
    await delivered(bob, 'bob: while ann is away');
    await say(ann, 'typed while away');
    await ann.waitForSelector('#messages li.pending:text-is("ann: typed while away")');

    // Back: the connection is resumed, what bob said arrives, what ann typed goes out.
    await proxy.resume();
    await ann.waitForSelector('body[data-state="online"]', { timeout: 30_000 });
    await delivered(ann, 'bob: while ann is away');
    await delivered(ann, 'ann: typed while away');
    await delivered(bob, 'ann: typed while away');
    await say(bob, 'after');
    await delivered(ann, 'bob: after');

    for (const [name, page] of [['ann', ann], ['bob', bob]]) {
      const system = await page.$$eval('#messages li.system', items => items.map(i => i.textContent));
      console.log(JSON.stringify({ page: name, state: await page.getAttribute('body', 'data-state'), system, ...await report(page) }));
    }
  } finally {
    await browser.close();
    await proxy.stop();
    if (server.exitCode === null) await stopServer(server);
  }
})().catch(error => {
  console.error(error);
  process.exit(1);
});
