// socket.io-client's reconnection against a Gateway server that restarts: prints "welcome 1", waits for the server to
// come back, prints "welcome 2" and the reconnect attempt count. Usage: node socketio-reconnect.mjs <http base url>
import { io } from "socket.io-client";

const socket = io(process.argv[2], { reconnectionDelay: 100, reconnectionDelayMax: 500, timeout: 2000 });
let welcomes = 0;
socket.on("welcome", () => {
  welcomes++;
  console.log(`welcome ${welcomes}`);
  if (welcomes === 2) {
    // No process.exit: it can drop what console.log still has to write to a pipe; closing lets Node end by itself.
    socket.close();
  }
});
socket.io.on("reconnect", (attempt) => console.log(`reconnected ${attempt > 0}`));
setTimeout(() => { console.error("timed out"); process.exit(1); }, 30000).unref();
