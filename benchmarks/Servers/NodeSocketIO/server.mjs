// The peer anchor of the load harness's Socket.IO row: the npm socket.io 4.8 server (what NestJS's default
// adapter runs on), default options, answering the harness's `identity` request with an ack of its argument.
// Usage: node server.mjs [--urls http://127.0.0.1:<port>]   (the harness passes --urls, as to the .NET servers)
import { createServer } from "node:http";
import { Server } from "socket.io";

const urlsAt = process.argv.indexOf("--urls");
// Only the first URL counts: the harness passes one, and a Node server listens on one address here.
const url = new URL((urlsAt >= 0 ? process.argv[urlsAt + 1] : undefined)?.split(";")[0] ?? "http://localhost:3000");
const port = Number(url.port || 80);

const http = createServer();
const io = new Server(http);
io.on("connection", (socket) => {
  // An emit without an ack (none from the harness) is ignored instead of crashing the listener.
  socket.on("identity", (n, ack) => typeof ack === "function" && ack(n));
});

http.listen(port, url.hostname, () => console.log(`socket.io ${url.hostname}:${port}`));
