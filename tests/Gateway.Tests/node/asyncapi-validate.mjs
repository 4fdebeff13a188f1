// Fetches an AsyncAPI document and validates it with the official parser (@asyncapi/parser).
// Prints every diagnostic; exits 1 when any has error severity (0), or the document does not parse.
// Prints "operations: <id> <action> <channel address>" per operation for the test to compare.
import { Parser, DiagnosticSeverity } from '@asyncapi/parser';

const [url] = process.argv.slice(2);
const response = await fetch(url);
if (!response.ok) {
  console.error(`GET ${url}: ${response.status}`);
  process.exit(1);
}

const text = await response.text();
const parser = new Parser();
const { document, diagnostics } = await parser.parse(text);
for (const d of diagnostics) {
  console.log(`diagnostic ${d.severity === DiagnosticSeverity.Error ? 'error' : 'other'} ${d.code}: ${d.message} at ${d.path.join('/')}`);
}

if (!document || diagnostics.some(d => d.severity === DiagnosticSeverity.Error)) {
  console.log('invalid');
  process.exit(1);
}

console.log(`asyncapi ${document.version()}`);
for (const operation of document.operations()) {
  const channel = operation.channels().all()[0];
  const reply = operation.reply();
  console.log(`operation ${operation.id()} ${operation.action()} ${channel?.address()} messages=${operation.messages().all().map(m => m.name()).join(',')} reply=${reply ? reply.messages().all().map(m => m.name()).join(',') : '-'}`);
}
console.log('valid');
