// Runs a protocol suite of protocol-suites/ with mocha against <base url> instead of the suite's localhost:3000.
// Usage: node run-protocol-suite.mjs <suite file> <http base url>
import { readFileSync, writeFileSync, rmSync } from "node:fs";
import { join, dirname } from "node:path";
import { fileURLToPath } from "node:url";
import Mocha from "mocha";

const [suite, base] = process.argv.slice(2);
const folder = join(dirname(fileURLToPath(import.meta.url)), "protocol-suites");
const source = readFileSync(join(folder, suite), "utf8");
const pointed = source.replace('const URL = "http://localhost:3000";', `const URL = ${JSON.stringify(base)};`);
if (pointed === source) {
  console.error("the suite's URL constant was not found");
  process.exit(2);
}

const file = join(folder, `.run-${process.pid}-${suite}`);
writeFileSync(file, pointed);
try {
  const mocha = new Mocha({ reporter: "spec", timeout: 5000 });
  mocha.addFile(file);
  await mocha.loadFilesAsync();
  const failures = await new Promise((resolve) => mocha.run(resolve));
  process.exitCode = failures === 0 ? 0 : 1;
} finally {
  rmSync(file, { force: true });
}
