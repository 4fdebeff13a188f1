// @gateway-dotnet/client: a client for Gateway servers, NestJS's ws protocol plus Gateway's request correlation
// (docs/protocol-extensions.md): a message may carry an "id"; every frame answering it carries the same id and the
// last one "end": true. No dependencies: the browser's WebSocket, or any constructor with its API (npm ws in Node 20).

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
};

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

  /** Calls handler with each new state; returns a function that stops it. */
  onStateChange(handler) {
    this._stateHandlers.add(handler);
    return () => this._stateHandlers.delete(handler);
  }

  /** Closes for good: fails what is pending or queued, and does not reconnect. */
  close() {
    this._closed = true;
    clearTimeout(this._retry);
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

  // Sends a frame; a request that went out fails if its connection drops (it may have run: at most once).
  _transmit(socket, text, id) {
    socket.send(text);
    if (id !== undefined) this._pending.get(id).sent = true;
  }

  _open() {
    const socket = new this.WebSocket(this.url);
    this._socket = socket;
    socket.onopen = () => {
      if (socket !== this._socket) return;
      this._attempt = 0;
      this._setState('online');
      // What was queued goes out first, in order.
      for (const { text, id } of this._queue.splice(0)) {
        if (id !== undefined && !this._pending.has(id)) continue; // timed out or aborted meanwhile
        this._transmit(socket, text, id);
      }
    };
    socket.onmessage = message => this._receive(typeof message.data === 'string' ? message.data : String(message.data));
    socket.onclose = () => {
      if (socket !== this._socket) return;
      this._socket = null;
      // Requests that went out on this connection may or may not have run: they fail (at most once).
      this._failAll(new GatewayError('The connection was lost before the answer came.', { kind: 'connection' }), false);
      if (this._closed) return;
      const reconnect = this.options.reconnect;
      if (!reconnect || this._attempt >= reconnect.maxAttempts) {
        this._closed = true;
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

  _receive(text) {
    let frame;
    try { frame = JSON.parse(text); } catch { return; }
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

  // Fails sent requests (all of them when everything goes).
  _failAll(error, everything) {
    for (const [id, pending] of [...this._pending]) {
      if (everything || pending.sent) {
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
