// What the suites' own node-imports.js provides (globals for fetch, WebSocket and chai with chai-string), from the
// packages this folder installs: Node's fetch instead of node-fetch, chai 6 instead of 4. The suites were written for
// ws 8.5, which emitted each message in its own tick: their await-then-listen steps rely on it, so it is asked for.
import { WebSocket } from "ws";
import * as chai from "chai";
import chaiString from "chai-string";

class SuiteWebSocket extends WebSocket {
  constructor(address, protocols, options) {
    super(address, protocols, { allowSynchronousEvents: false, ...options });
  }
}

chai.use(chaiString);
globalThis.WebSocket = SuiteWebSocket;
globalThis.chai = chai;
