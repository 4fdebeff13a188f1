// A socket.io-client 4.8 app against a Gateway server's Socket.IO endpoint (and one npm ws client on the same
// gateway's NestJS path). Prints one line per observation; the C# test compares them.
// Usage: node socketio-client.mjs <http base url> <default|websocket|polling>
import { io } from "socket.io-client";
import WebSocket from "ws";

const [base, mode] = process.argv.slice(2);
const transports = mode === "websocket" ? ["websocket"] : mode === "polling" ? ["polling"] : undefined;
const options = { transports, reconnection: false, timeout: 5000 };
const lines = [];
const log = (line) => lines.push(line);
const once = (socket, event) => new Promise((resolve) => socket.once(event, (...args) => resolve(args)));
const timeout = (ms, what) => new Promise((_, reject) => setTimeout(() => reject(new Error(`timed out: ${what}`)), ms));

async function main() {
  const a = io(base, { ...options, auth: { token: "t1" }, query: { room: "q1" } });
  const [welcome] = await Promise.race([once(a, "welcome"), timeout(5000, "welcome")]);
  log(`welcome ${welcome}`);
  log(`connected ${a.connected} id ${a.id?.length > 0}`);

  log(`echo ${JSON.stringify(await a.timeout(5000).emitWithAck("echo", { a: 1, s: "é\u2028" }))}`);
  log(`multi ${JSON.stringify(await a.timeout(5000).emitWithAck("echo", 1, "2", { 3: [true] }))}`);

  const replied = once(a, "replied");
  a.emit("reply", "hi");
  log(`replied ${(await replied)[0]}`);

  const exception = once(a, "exception");
  a.emit("fail");
  log(`exception ${JSON.stringify((await exception)[0])}`);

  log(`bytes ${await a.timeout(5000).emitWithAck("bytes", Uint8Array.from([1, 2, 3, 250]))}`);

  a.on("question", (question, callback) => callback(`${question}!`));
  log(`ask ${await a.timeout(5000).emitWithAck("ask", "why")}`);

  log(`silence ${await a.timeout(5000).emitWithAck("askOrTimeOut", 0)}`);
  log(`count ${await a.timeout(5000).emitWithAck("count", 3)}`);

  // An unknown event is ignored (no ack, no exception), as NestJS's io adapter ignores it.
  try {
    await a.timeout(300).emitWithAck("nobody-handles-this", 1);
    log("unknown answered");
  } catch {
    log("unknown ignored");
  }

  // A second namespace on the same connection.
  const admin = io(`${base}/admin`, options);
  log(`admin ${(await admin.timeout(5000).emitWithAck("whoami")).startsWith("admin ")}`);
  log(`multiplexed ${admin.io === a.io || admin.io.engine?.id === a.io.engine?.id}`);

  const nope = io(`${base}/nope`, options);
  log(`nope ${(await once(nope, "connect_error"))[0].message}`);

  const refused = io(base, { ...options, auth: { token: "bad" }, forceNew: true });
  log(`refused ${(await once(refused, "connect_error"))[0].message}`);

  // Rooms across both protocols: b (Socket.IO) and w (NestJS ws) hear a's message to the room; a does not.
  const b = io(base, { ...options, forceNew: true });
  await once(b, "welcome");
  const w = new WebSocket(`${base.replace("http", "ws")}/sio`);
  await once(w, "open");
  const wMessages = [];
  w.on("message", (data) => wMessages.push(data.toString()));
  const wJoined = new Promise((resolve) => w.once("message", resolve));
  w.send(JSON.stringify({ event: "join", data: "r" }));
  await wJoined;
  await a.timeout(5000).emitWithAck("join", "r");
  await b.timeout(5000).emitWithAck("join", "r");
  let aHeard = 0;
  a.on("said", () => aHeard++);
  const bHeard = once(b, "said");
  const recipients = await a.timeout(5000).emitWithAck("say", { room: "r", text: "hello" });
  log(`said to ${recipients}`);
  log(`b heard ${(await bHeard)[0]}`);
  await a.timeout(5000).emitWithAck("echo", 0);
  log(`a heard ${aHeard}`);
  for (let i = 0; i < 50 && wMessages.length < 2; i++) await new Promise((r) => setTimeout(r, 20));
  log(`w heard ${wMessages[1]}`);

  const everyone = once(b, "everyone");
  log(`everyone ${await a.timeout(5000).emitWithAck("everyone", "all")}`);
  log(`b heard ${(await everyone)[0]}`);

  if (transports === undefined) {
    // socket.io-client's default: long-polling first, then the upgrade to WebSocket.
    for (let i = 0; i < 100 && a.io.engine.transport.name !== "websocket"; i++) await new Promise((r) => setTimeout(r, 20));
  }

  log(`transport ${a.io.engine.transport.name}`);
  const disconnected = once(b, "disconnect");
  b.disconnect();
  log(`b ${(await disconnected)[0]}`);
  a.close();
  admin.close();
  w.close();
}

// process.exit once stdout has taken everything: an exit right after console.log can lose output written to a pipe.
const finish = (code) => process.stdout.write(lines.join("\n") + "\n", () => process.exit(code));
try {
  await main();
  finish(0);
} catch (error) {
  console.error(error);
  finish(1);
}
