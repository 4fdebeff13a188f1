// Plays the transcript of the protocol spec (section 6) and prints every frame it gets, one JSON line each:
// {"binary":false,"text":"..."}; then the close code. A trailing identity message proves that the frames
// the server must drop were dropped rather than answered late.
const WebSocket = require('ws');

const ws = new WebSocket(process.argv[2]);
const frames = [
  JSON.stringify({ event: 'events', data: 'hello world' }),
  JSON.stringify({ event: 'identity', data: 5 }),
  '{"data":7,"event":"identity"}',
  Buffer.from('{"event":"identity","data":9}'),
  '{"event":"nope","data":1}',
  'not json',
  '[1,2]',
  '{"event":5,"data":1}',
  '{"event":"identity","data":11}',
];
const expectedReplies = 5;
let received = 0;

ws.on('open', () => {
  for (const frame of frames) {
    ws.send(frame, { binary: Buffer.isBuffer(frame) });
  }
});

ws.on('message', (data, isBinary) => {
  console.log(JSON.stringify({ binary: isBinary, text: data.toString() }));
  if (++received === expectedReplies) {
    ws.close(1000);
  }
});

ws.on('close', (code) => console.log(`closed ${code}`));
ws.on('error', (err) => {
  console.error(err.message);
  process.exit(1);
});
