// socket.io-client's connection state recovery against a Gateway server with resumption on. Alice's transport is
// closed under her (socket.io's own way of testing it); while she is away, Bob says three things to her room; she
// comes back and prints what socket.io-client reports (socket.recovered, the same id) and what she got.
// Usage: node socketio-recovery.mjs <http base url> <websocket|polling> <back after ms>
import { io } from "socket.io-client";

const [base, transport, backAfter] = [process.argv[2], process.argv[3], Number(process.argv[4])];
const alice = io(base, {
  transports: [transport],
  reconnectionDelay: backAfter,
  reconnectionDelayMax: backAfter,
  randomizationFactor: 0,
});
const bob = io(base, { transports: ["websocket"] });
const said = [];
let firstId;
let connects = 0;

alice.on("said", (text) => said.push(text));
alice.on("connect", async () => {
  connects++;
  if (connects === 1) {
    firstId = alice.id;
    console.log(`connected recovered=${alice.recovered}`);
    await alice.emitWithAck("join", "r");
    await bob.emitWithAck("join", "r");
    alice.io.engine.close();
    return;
  }

  console.log(`connected recovered=${alice.recovered} same-id=${alice.id === firstId}`);
  if (alice.recovered) {
    await until(() => said.length === 3);
    console.log(`said ${said.join(" ")}`);
    // Still in the room.
    await bob.emitWithAck("say", { room: "r", text: "m4" });
    await until(() => said.length === 4);
    console.log(`said ${said[3]}`);
  } else {
    console.log(`said ${said.length}`);
  }
  alice.close();
  bob.close();
});

alice.on("disconnect", async (reason) => {
  if (reason === "io client disconnect") return; // the end
  console.log(`disconnected ${reason}`);
  for (const text of ["m1", "m2", "m3"]) {
    await bob.emitWithAck("say", { room: "r", text });
  }
});

async function until(condition) {
  while (!condition()) await new Promise((resolve) => setTimeout(resolve, 10));
}

setTimeout(() => { console.error(`timed out; said: ${said.join(" ")}`); process.exit(1); }, 30000).unref();
