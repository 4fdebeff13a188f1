// What the suites' own node-imports.js provides (globals for fetch, WebSocket and chai with chai-string), from the
// packages this folder installs: Node's fetch instead of node-fetch, chai 6 instead of 4.
//
// The suites await one message, then start listening for the next. A ws 8.23 client emits every message of one TCP
// read at once, so a second message read together with the first is emitted to no listener and lost; deferring every
// message instead reorders a message with a fetch answered at the same moment. So, as the suites assume: the first
// message of a read is emitted at once, each further one a turn of the event loop later.
import { WebSocket } from "ws";
import * as chai from "chai";
import chaiString from "chai-string";

class SuiteWebSocket extends WebSocket {
  #busy = false;
  #waiting = [];

  emit(event, ...args) {
    if (event !== "message") {
      return super.emit(event, ...args);
    }

    if (this.#busy || this.#waiting.length > 0) {
      this.#waiting.push(args);
      return true;
    }

    this.#emitNow(args);
    return true;
  }

  #emitNow(args) {
    this.#busy = true;
    setImmediate(() => {
      this.#busy = false;
      const next = this.#waiting.shift();
      if (next !== undefined) {
        this.#emitNow(next);
      }
    });
    super.emit("message", ...args);
  }
}

chai.use(chaiString);
globalThis.WebSocket = SuiteWebSocket;
globalThis.chai = chai;
