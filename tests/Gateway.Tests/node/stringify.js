// What a NestJS server sends for a frame: it reads the frame as Buffer.toString() (invalid UTF-8 becomes U+FFFD),
// JSON.parse, and writes JSON.stringify. Reads one base64 frame per line of the file named by the first argument
// and prints the base64 of the UTF-8 of JSON.stringify(JSON.parse(frame)) per line, so no byte is lost either way.
const fs = require('fs');

const lines = fs.readFileSync(process.argv[2], 'utf8').split('\n').filter((line) => line.length > 0);
for (const line of lines) {
  const text = Buffer.from(line, 'base64').toString();
  console.log(Buffer.from(JSON.stringify(JSON.parse(text)), 'utf8').toString('base64'));
}
