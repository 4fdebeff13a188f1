// The client of the NestJS article (../../../../shared/seed), with the server URL as an argument and the
// identity message from the spec's transcript; prints each frame as text.
const WebSocket = require('ws');

const ws = new WebSocket(process.argv[2] ?? 'ws://localhost:3000');
let received = 0;

ws.on('open', function open() {
  console.log('connected');
  ws.send(JSON.stringify({ event: 'events', data: 'hello world' }));
  ws.send(JSON.stringify({ event: 'identity', data: 5 }));
});

ws.on('message', function incoming(data) {
  console.log(data.toString());
  if (++received === 2) {
    ws.close();
  }
});

ws.on('close', (code) => console.log(`closed ${code}`));
ws.on('error', (err) => {
  console.error(err.message);
  process.exit(1);
});
