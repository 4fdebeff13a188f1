// Plays samples/Chat's pipeline (a guard, validation, an exception filter) against a running Chat server and prints
// the frames it answers, one per line. Used by .ci/aot-smoke against the Native AOT binary.
// Usage: node chat-pipeline.js ws://127.0.0.1:PORT/chat
const WebSocket = require('ws');

const ws = new WebSocket(process.argv[2]);
const frames = [];
const timer = setTimeout(() => { console.error(`timed out after ${frames.length} frames`); process.exit(1); }, 10000);
ws.on('message', (message) => {
  frames.push(message.toString());
  if (frames.length === 4) {
    clearTimeout(timer);
    console.log(frames.join('\n'));
    ws.close();
  }
});
ws.on('error', (error) => { console.error(error.message); process.exit(1); });
ws.on('open', () => {
  ws.send(JSON.stringify({ event: 'say', data: 'hi' }));
  ws.send(JSON.stringify({ event: 'join', data: { nick: '', room: 'x'.repeat(41) } }));
  ws.send(JSON.stringify({ event: 'join', data: { nick: 'ann', room: 'lobby' } }));
});
