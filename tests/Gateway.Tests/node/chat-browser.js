// Drives the Chat sample in headless Chromium through playwright-core: three pages use the browser's own WebSocket;
// ann and bob join "red", cat joins "blue". Prints each page's message list as JSON.
// Usage: node chat-browser.js <url> [<url for bob>]: with a second URL, bob's page is served by another instance of
// the sample (scale-out behind one Redis). CHAT_SCREENSHOT names a PNG of bob's page to save.
// The browser and the page's forms: chat-page.js.
const { launch, join, say } = require('./chat-page');

const [url, bobUrl = url] = process.argv.slice(2);
const screenshot = process.env.CHAT_SCREENSHOT;

async function openPage(browser, pageUrl = url) {
  const page = await (await browser.newContext()).newPage();
  await page.goto(pageUrl);
  await page.waitForSelector('body[data-connected="true"]');
  return page;
}

const messages = (page) => page.$$eval('#messages li', (items) => items.map((item) => item.textContent));

(async () => {
  const browser = await launch();
  try {
    const ann = await openPage(browser);
    const bob = await openPage(browser, bobUrl);
    const cat = await openPage(browser);
    await join(ann, 'ann', 'red');
    await join(bob, 'bob', 'red');
    await join(cat, 'cat', 'blue');

    await say(ann, 'hello red');
    await bob.waitForSelector('#messages li:text-is("ann: hello red")');
    await ann.waitForSelector('#messages li:text-is("ann: hello red")');

    // The red message was pushed before cat speaks, so it would arrive before cat's own message.
    await say(cat, 'hello blue');
    await cat.waitForSelector('#messages li:text-is("cat: hello blue")');

    if (screenshot) {
      await bob.screenshot({ path: screenshot });
    }

    for (const [name, page] of [['ann', ann], ['bob', bob], ['cat', cat]]) {
      console.log(JSON.stringify({ page: name, messages: await messages(page) }));
    }
  } finally {
    await browser.close();
  }
})().catch((error) => {
  console.error(error);
  process.exit(1);
});
