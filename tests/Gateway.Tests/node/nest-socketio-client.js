// The client of NestJS's own gateway sample (sample/02-gateways, client/index.html), unchanged but for printing to
// stdout instead of the console of a page and ending once it has its answers. Usage: node nest-socketio-client.js <url>
const { io } = require("socket.io-client");

const lines = [];
const done = () => {
  if (lines.length === 3) {
    socket.close();
  } else if (lines.length === 4) {
    console.log(lines.join("\n"));
  }
};
const console_log = (...args) => { lines.push(args.map((a) => (typeof a === "string" ? a : JSON.stringify(a))).join(" ")); done(); };

const socket = io(process.argv[2]);
socket.on("connect", function () {
  console_log("Connected");

  socket.emit("events", { test: "test" });
  socket.emit("identity", 0, (response) => console_log("Identity:", response));
});
socket.on("events", function (data) {
  console_log("event", data);
});
socket.on("exception", function (data) {
  console_log("event", data);
});
socket.on("disconnect", function () {
  console_log("Disconnected");
});
setTimeout(() => { console.error("timed out:", lines); process.exit(1); }, 10000).unref();
