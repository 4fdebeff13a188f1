// @gateway-dotnet/client: a client for Gateway servers, NestJS's ws protocol plus Gateway's extensions
// (docs/protocol-extensions.md): request correlation (a message may carry an "id"; every frame answering it carries
// the same id and the last one "end": true) and resumable sessions (after a drop the client comes back to the same
// connection and is sent what it missed). No dependencies: the browser's WebSocket, or any constructor with its API
// (npm ws in Node 20).

/** Why a request failed: the server's exception frame, the connection, the queue or the timeout. */
export class GatewayError extends Error {
  /**
   * @param {string} message
   * @param {{ kind: 'exception' | 'connection' | 'queue' | 'timeout' | 'closed', data?: unknown }} details
   */
  constructor(message, details) {
    super(message);
    this.name = 'GatewayError';
    this.kind = details.kind;
    this.data = details.data;
  }
}

const defaults = {
  requestTimeout: 30_000,
  maxQueued: 100,
  reconnect: { initialDelay: 500, maxDelay: 10_000, maxAttempts: Infinity },
  resume: true,
};

// Acknowledge received frames this long after the first unacknowledged one, or at once after this many.
const ackDelay = 200;
const ackEvery = 32;
// Messages kept after sending, to send again those a lost transport did not deliver (the server says how many did).
const resendLimit = 1024;
// How long a reconnection waits for the server's answer to its resumption before it takes the connection as new.
const resumeTimeout = 5_000;

/**
 * One logical connection to a gateway: it connects at once, reconnects after a drop (exponential backoff with full
 * jitter), queues what is sent while it is not online (bounded) and reports its state for a UI.
 */
export class GatewayClient {
  /** @param {string | URL} url @param {import('./index.js').GatewayClientOptions} [options] */
  constructor(url, options = {}) {
    this.url = String(url);
    this.options = {
      ...defaults,
      ...options,
      reconnect: options.reconnect === false ? false : { ...defaults.reconnect, ...(options.reconnect ?? {}) },
    };
    this.WebSocket = options.WebSocket ?? globalThis.WebSocket;
    if (!this.WebSocket) {
      throw new TypeError('No WebSocket: pass options.WebSocket (in Node 20, the WebSocket of the npm "ws" package).');
    }

    /** @type {'connecting' | 'online' | 'reconnecting' | 'offline'} */
    this.state = 'connecting';
    this._nextId = 1;
    this._pending = new Map();      // id -> { resolve, reject, item?, timer, sent }
    this._queue = [];               // frames waiting for the connection, in order: { text, id }
    this._handlers = new Map();     // event -> Set<handler>
    this._stateHandlers = new Set();
    this._sessionHandlers = new Set();
    /** @type {{ id: string, token: string } | null} the resumable connection, once the server announced one */
    this._session = null;
    this._received = 0;            // frames received on the resumable connection (its numbering)
    this._acked = 0;
    this._ackTimer = null;
    this._sentCount = 0;           // messages sent on the resumable connection (the server counts them too)
    this._sentKept = [];           // the last of them: { n, text }
    this._attempt = 0;
    this._closed = false;
    this._socket = null;
    this._open();
  }

  /** Resolves once the client is online (at once when it is); rejects when it has given up or was closed. */
  opened() {
    if (this.state === 'online') return Promise.resolve();
    if (this.state === 'offline') return Promise.reject(new GatewayError('The client is offline.', { kind: 'closed' }));
    return new Promise((resolve, reject) => {
      const off = this.onStateChange(state => {
        if (state === 'online') { off(); resolve(); }
        else if (state === 'offline') { off(); reject(new GatewayError('The client is offline.', { kind: 'closed' })); }
      });
    });
  }

  /**
   * Sends an event and resolves with the data of its answer (a handler's value, or a WsResponse's data); rejects with
   * the server's exception frame, when the connection that carried it drops, or after the timeout.
   */
  request(event, data, options = {}) {
    return new Promise((resolve, reject) => {
      const id = this._nextId++;
      const pending = { resolve, reject, sent: false, timer: null };
      this._track(id, pending, options);
      this._enqueue(event, data, id, reject);
    });
  }

  /** Sends an event whose handler streams, and yields each item until the server's end marker. */
  stream(event, data, options = {}) {
    const client = this;
    return {
      [Symbol.asyncIterator]() {
        const items = [];
        let waiting = null;
        let done = false;
        let failure = null;
        const id = client._nextId++;
        const wake = () => { if (waiting) { const w = waiting; waiting = null; w(); } };
        const pending = {
          sent: false,
          timer: null,
          item: value => { items.push(value); wake(); },
          resolve: () => { done = true; wake(); },
          reject: error => { failure = error; wake(); },
        };
        client._track(id, pending, options);
        client._enqueue(event, data, id, pending.reject);
        return {
          async next() {
            while (items.length === 0 && !done && !failure) {
              await new Promise(resolve => { waiting = resolve; });
            }
            if (items.length > 0) return { value: items.shift(), done: false };
            if (failure) throw failure;
            return { value: undefined, done: true };
          },
          async return() {
            client._settle(id);
            done = true;
            return { value: undefined, done: true };
          },
        };
      },
    };
  }

  /** Sends an event and waits for nothing; queued while offline (throws when the queue is full). */
  send(event, data) {
    this._enqueue(event, data, undefined, error => { throw error; });
  }

  /** Calls handler with the data of each event the server pushes under that name; returns a function that stops it. */
  on(event, handler) {
    let set = this._handlers.get(event);
    if (!set) this._handlers.set(event, set = new Set());
    set.add(handler);
    return () => set.delete(handler);
  }

  /** The server's id of this connection (`GatewayClient.Id`) while it is resumable; the same after a resumption. */
  get id() {
    return this._session?.id;
  }

  /**
   * Calls handler each time the server announces the connection: `{ id, resumed: false }` for a new one,
   * `{ id, resumed: true, replayed }` when a reconnection got the old one back (and `replayed` missed frames),
   * `{ id, resumed: false, lost }` when it could not (`lost`: 'expired', 'overflow' or 'unknown'; pushes sent
   * meanwhile are gone, and requests that were in flight have failed). Returns a function that stops it.
   */
  onSession(handler) {
    this._sessionHandlers.add(handler);
    return () => this._sessionHandlers.delete(handler);
  }

  /** Calls handler with each new state; returns a function that stops it. */
  onStateChange(handler) {
    this._stateHandlers.add(handler);
    return () => this._stateHandlers.delete(handler);
  }

  /** Closes for good: fails what is pending or queued, and does not reconnect. */
  close() {
    this._closed = true;
    clearTimeout(this._retry);
    clearTimeout(this._ackTimer);
    this._failAll(new GatewayError('The client was closed.', { kind: 'closed' }), true);
    this._socket?.close(1000);
    this._setState('offline');
  }

  _track(id, pending, options) {
    const timeout = options.timeout ?? this.options.requestTimeout;
    if (timeout !== Infinity) {
      pending.timer = setTimeout(() => {
        this._pending.delete(id);
        pending.reject(new GatewayError(`No answer within ${timeout} ms.`, { kind: 'timeout' }));
      }, timeout);
    }
    options.signal?.addEventListener('abort', () => {
      if (this._settle(id)) pending.reject(new GatewayError('The request was aborted.', { kind: 'closed', data: options.signal.reason }));
    }, { once: true });
    this._pending.set(id, pending);
  }

  // Forgets a request; true when it was still pending.
  _settle(id) {
    const pending = this._pending.get(id);
    if (!pending) return false;
    clearTimeout(pending.timer);
    this._pending.delete(id);
    return true;
  }

  _enqueue(event, data, id, fail) {
    if (this._closed) {
      if (id !== undefined) this._settle(id);
      return fail(new GatewayError('The client was closed.', { kind: 'closed' }));
    }
    const message = { event };
    if (data !== undefined) message.data = data;
    if (id !== undefined) message.id = id;
    const text = JSON.stringify(message);
    if (this.state === 'online' && this._socket.readyState === 1) {
      this._transmit(this._socket, text, id);
      return;
    }
    if (this._queue.length >= this.options.maxQueued) {
      if (id !== undefined) this._settle(id);
      return fail(new GatewayError(`The offline queue is full (${this.options.maxQueued} messages).`, { kind: 'queue' }));
    }
    this._queue.push({ text, id });
  }

  // Sends a frame; a request that went out fails if its connection drops (it may have run: at most once), unless
  // the connection is resumable: then it is sent again if the server did not get it, and answered either way.
  _transmit(socket, text, id) {
    this._send(socket, text);
    if (id !== undefined) this._pending.get(id).sent = socket;
  }

  _send(socket, text) {
    socket.send(text);
    // Kept while the connection is (or, before the server's first frame, may be) resumable.
    if (!this.options.resume || (this._session === null && !socket._gatewayFirst)) return;
    this._sentKept.push({ n: ++this._sentCount, text });
    if (this._sentKept.length > resendLimit) this._sentKept.shift();
  }

  // Online on this socket: what was queued goes out, in order.
  _online(socket) {
    this._attempt = 0;
    this._setState('online');
    for (const { text, id } of this._queue.splice(0)) {
      if (id !== undefined && !this._pending.has(id)) continue; // timed out or aborted meanwhile
      this._transmit(socket, text, id);
    }
  }

  _open() {
    const socket = new this.WebSocket(this._address());
    this._socket = socket;
    // Whether this socket's first frame must be the server's answer to a resumption (see _receive).
    socket._gatewayResuming = this._session !== null;
    socket._gatewayFirst = true;
    if (!socket._gatewayResuming) {
      this._sentCount = 0;
      this._sentKept = [];
    }
    socket.onopen = () => {
      if (socket !== this._socket) return;
      if (!socket._gatewayResuming) return this._online(socket);
      // Resuming: nothing is sent before the server says what it got, so that what it missed goes first.
      socket._gatewayWait = setTimeout(() => {
        if (socket === this._socket && socket._gatewayFirst) this._receive(socket, 'null');
      }, resumeTimeout);
    };
    socket.onmessage = message => this._receive(socket, typeof message.data === 'string' ? message.data : String(message.data));
    socket.onclose = () => {
      if (socket !== this._socket) return;
      this._socket = null;
      clearTimeout(socket._gatewayWait);
      clearTimeout(this._ackTimer);
      this._ackTimer = null;
      // Requests that went out on this connection may or may not have run: they fail (at most once), unless the
      // connection can be resumed, whose answers the server keeps for it.
      if (!this._session || this._closed) {
        this._failAll(new GatewayError('The connection was lost before the answer came.', { kind: 'connection' }), false);
      }
      if (this._closed) return;
      const reconnect = this.options.reconnect;
      if (!reconnect || this._attempt >= reconnect.maxAttempts) {
        this._closed = true;
        this._session = null;
        this._failAll(new GatewayError('The client is offline.', { kind: 'connection' }), true);
        this._setState('offline');
        return;
      }
      this._setState('reconnecting');
      const ceiling = Math.min(reconnect.maxDelay, reconnect.initialDelay * 2 ** this._attempt++);
      this._retry = setTimeout(() => this._open(), Math.random() * ceiling); // full jitter
    };
    socket.onerror = () => {}; // a close event follows
  }

  // The gateway's URL, with what asks for a resumable connection (or to resume this one).
  _address() {
    if (!this.options.resume) return this.url;
    const url = new URL(this.url);
    if (this._session) {
      url.searchParams.set('gw-resume', this._session.token);
      url.searchParams.set('gw-received', String(this._received));
    } else {
      url.searchParams.set('gw-resume', 'new');
    }
    return url.toString();
  }

  _receive(socket, text) {
    const first = socket._gatewayFirst;
    socket._gatewayFirst = false;
    let frame;
    try { frame = JSON.parse(text); } catch { frame = undefined; }
    if (first) clearTimeout(socket._gatewayWait);
    if (first && frame?.event === 'gateway:session' && frame.data && typeof frame.data.token === 'string') {
      return this._announced(socket, frame.data);
    }
    if (first && socket._gatewayResuming) {
      // Asked to resume, and the server did not answer about it (resumption is off there now): a new connection.
      this._announced(socket, { id: undefined, token: null, resumed: false, lost: 'unknown' });
      if (text === 'null') return;
    }
    if (this._session) this._count(socket);
    if (frame === undefined) return;
    if (frame === null || typeof frame !== 'object') return; // a NestJS-style bare reply: nobody asked with an id
    if (frame.id !== undefined) {
      const pending = this._pending.get(frame.id);
      if (!pending) return;
      if (frame.event === 'exception') {
        this._settle(frame.id);
        const message = frame.data?.message ?? 'The server answered with an exception.';
        return pending.reject(new GatewayError(message, { kind: 'exception', data: frame.data }));
      }
      if (pending.item) {
        if ('data' in frame) pending.item(frame.data);
        if (frame.end) { this._settle(frame.id); pending.resolve(); }
        return;
      }
      this._settle(frame.id);
      return pending.resolve(frame.data);
    }
    if (typeof frame.event !== 'string') return;
    for (const handler of this._handlers.get(frame.event) ?? []) {
      handler(frame.data);
    }
  }

  // The server's gateway:session frame: a new resumable connection, or the answer to a resumption.
  _announced(socket, session) {
    if (!session.resumed) {
      if (this._session) {
        // The old connection is gone, and with it the answers to what was in flight.
        this._failAll(new GatewayError(`The connection was lost before the answer came (${session.lost ?? 'unknown'}).`, { kind: 'connection' }), false, socket);
      }
      this._received = 0;
      this._acked = 0;
      if (socket._gatewayResuming) {
        this._sentCount = 0;
        this._sentKept = [];
      }
    }
    this._session = session.token ? { id: session.id, token: session.token } : null;
    const info = { id: session.id, resumed: Boolean(session.resumed) };
    if (session.resumed) info.replayed = session.replayed ?? 0;
    if (session.lost) info.lost = session.lost;
    // Told before the state goes online, so that an online handler knows whether the connection came back as it was.
    for (const handler of [...this._sessionHandlers]) handler(info);
    if (socket._gatewayResuming) {
      if (session.resumed) {
        // What the lost transport did not deliver goes again, first, under its own numbers.
        for (const { n, text } of this._sentKept) {
          if (n > session.received) socket.send(text);
        }
        for (const [, pending] of this._pending) {
          if (pending.sent) pending.sent = socket;
        }
      }
      this._online(socket);
    }
  }

  // Counts a frame of the resumable connection and acknowledges, soon or at once after many.
  _count(socket) {
    this._received++;
    if (this._received - this._acked >= ackEvery) return this._ack(socket);
    this._ackTimer ??= setTimeout(() => this._ack(socket), ackDelay);
  }

  _ack(socket) {
    clearTimeout(this._ackTimer);
    this._ackTimer = null;
    if (socket !== this._socket || socket.readyState !== 1 || this._acked === this._received) return;
    this._acked = this._received;
    this._send(socket, JSON.stringify({ event: 'gateway:ack', data: this._received }));
  }

  // Fails sent requests (all of them when everything goes), but those sent on the socket `except`.
  _failAll(error, everything, except) {
    for (const [id, pending] of [...this._pending]) {
      if (everything || (pending.sent && pending.sent !== except)) {
        this._settle(id);
        pending.reject(error);
      }
    }
    if (everything) this._queue.length = 0;
  }

  _setState(state) {
    if (this.state === state) return;
    this.state = state;
    for (const handler of [...this._stateHandlers]) handler(state);
  }
}

/** Connects to a gateway at url; the client reconnects by itself. */
export function connect(url, options) {
  return new GatewayClient(url, options);
}
