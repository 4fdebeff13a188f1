// The client against a real Gateway server (Kestrel, started by tests/Gateway.Tests' TypeScriptClientTests, which
// passes its address in GATEWAY_URL). Drops and restarts are a TCP proxy in front of it that this test controls.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import WebSocket from 'ws';
import { GatewayClient, GatewayError, connect } from '../index.js';
import { Proxy } from '../test-support/proxy.cjs';

const base = process.env.GATEWAY_URL;
assert.ok(base, 'GATEWAY_URL is not set: run these tests through dotnet test (TypeScriptClientTests), which starts the server.');

const options = { WebSocket, reconnect: { initialDelay: 20, maxDelay: 100 } };

test('requests resolve with their own answers, in parallel and out of order', async () => {
  const client = connect(`${base}/correlation`, options);
  try {
    const answers = await Promise.all([300, 10, 150].map(ms => client.request('after', ms)));
    assert.deepEqual(answers, [300, 10, 150]);
  } finally {
    client.close();
  }
});

test('values of every kind, a WsResponse and a stream', async () => {
  const client = connect(`${base}/kinds`, options);
  try {
    assert.equal(await client.request('taskOfT', 'hi'), 'hi!');
    assert.equal(await client.request('zero'), 0);
    assert.equal(await client.request('null'), undefined);
    assert.deepEqual(await client.request('record', { nick: 'x', text: 'abc' }), { nick: 'x', text: 'ABC' });
    assert.equal(await client.request('wsResponse', 'popped'), 'popped');
    const items = [];
    for await (const item of client.stream('stream', 3)) items.push(item);
    assert.deepEqual(items, ['item0', 'item2']); // a null item is not sent, as NestJS drops nil results
  } finally {
    client.close();
  }
});

test('an exception frame rejects its request with the server\'s data', async () => {
  const client = connect(`${base}/errors`, options);
  try {
    await assert.rejects(client.request('wsString', 7), error => {
      assert.ok(error instanceof GatewayError);
      assert.equal(error.kind, 'exception');
      assert.equal(error.message, 'Nope 7');
      return true;
    });
    await assert.rejects(client.request('no-such-event'), error => error.kind === 'exception' && /Unknown event/.test(error.message));
  } finally {
    client.close();
  }
});

test('pushed events reach their handlers; a stopped handler gets nothing more', async () => {
  const alice = connect(`${base}/chat`, options);
  const bob = connect(`${base}/chat`, options);
  try {
    await alice.request('join', 'lobby');
    await bob.request('join', 'lobby');
    const seen = [];
    const stop = alice.on('message', message => seen.push(message));
    await bob.request('typedSay', { room: 'lobby', text: 'hello' });
    await waitFor(() => seen.length === 1);
    assert.deepEqual(seen, [{ room: 'lobby', text: 'hello' }]);
    stop();
    await bob.request('typedSay', { room: 'lobby', text: 'unheard' });
    assert.equal(await alice.request('echo', 'after'), 'after'); // the push, if any, came before this answer
    assert.equal(seen.length, 1);
  } finally {
    alice.close();
    bob.close();
  }
});

test('a request times out, and the client stays usable', async () => {
  const client = connect(`${base}/kinds`, options);
  try {
    await assert.rejects(client.request('never', undefined, { timeout: 100 }), error => error.kind === 'timeout');
    assert.equal(await client.request('zero'), 0);
  } finally {
    client.close();
  }
});

test('a drop fails what was in flight, reconnects, and sends what was queued meanwhile in order', async () => {
  const proxy = await Proxy.start(new URL(base));
  // Without resumption: a resumed connection answers what was in flight (the next test).
  const client = connect(`ws://127.0.0.1:${proxy.port}/chat`, { ...options, resume: false });
  const states = [];
  client.onStateChange(state => states.push(state));
  try {
    await client.opened();
    const inFlight = client.request('sendThenCancel', 'x').catch(error => error); // may or may not be answered first
    await proxy.pause(); // the server is unreachable: connections dropped, new ones refused
    const lost = await inFlight;
    assert.ok(lost === 'sent' || lost.kind === 'connection');
    await waitFor(() => client.state === 'reconnecting');

    // Sent while offline: queued, then sent in order once back.
    const queued = ['a', 'b', 'c'].map(text => client.request('echo', text));
    await proxy.resume();
    assert.deepEqual(await Promise.all(queued), ['a', 'b', 'c']);
    assert.equal(client.state, 'online');
    assert.deepEqual(states.slice(0, 2), ['online', 'reconnecting']);
    assert.equal(states.at(-1), 'online');
  } finally {
    client.close();
    await proxy.stop();
  }
});

test('the offline queue is bounded, and a client that gives up goes offline and says so', async () => {
  const proxy = await Proxy.start(new URL(base));
  const client = new GatewayClient(`ws://127.0.0.1:${proxy.port}/chat`, { WebSocket, maxQueued: 2, reconnect: { initialDelay: 20, maxDelay: 40, maxAttempts: 3 } });
  const settled = promise => promise.then(value => ({ value }), error => ({ error }));
  try {
    await client.opened();
    // Filled the moment the drop is seen, before any retry can give up.
    const sent = new Promise(resolve => {
      const off = client.onStateChange(state => {
        if (state !== 'reconnecting') return;
        off();
        const kept = [settled(client.request('echo', 1)), settled(client.request('echo', 2))];
        const third = settled(client.request('echo', 3));
        let fourth;
        try { client.send('echo', 4); } catch (error) { fourth = error; }
        resolve({ kept, third, fourth });
      });
    });
    await proxy.pause();
    const { kept, third, fourth } = await sent;
    assert.equal((await third).error?.kind, 'queue');
    assert.equal(fourth?.kind, 'queue');

    // Never back within three attempts: offline, and what waited fails instead of hanging.
    await waitFor(() => client.state === 'offline');
    for (const request of kept) {
      assert.equal((await request).error?.kind, 'connection');
    }
    await assert.rejects(client.opened(), error => error.kind === 'closed');
  } finally {
    client.close();
    await proxy.stop();
  }
});

test('a resumed connection keeps its id and rooms, gets the pushes it missed, and answers what was in flight', async () => {
  const proxy = await Proxy.start(new URL(base));
  const alice = connect(`ws://127.0.0.1:${proxy.port}/chat`, options);
  const bob = connect(`${base}/chat`, options);
  const sessions = [];
  alice.onSession(session => sessions.push(session));
  try {
    await alice.request('join', 'resumed');
    await bob.request('join', 'resumed');
    const id = await alice.request('whoami');
    assert.equal(alice.id, id);
    assert.deepEqual(sessions, [{ id, resumed: false }]);
    const seen = [];
    alice.on('message', message => seen.push(message.text));

    // A handler still running when the transport drops answers on the next one.
    const inFlight = alice.request('later', 'x');
    await proxy.pause();
    await waitFor(() => alice.state === 'reconnecting');
    for (const text of ['one', 'two', 'three']) await bob.request('typedSay', { room: 'resumed', text });
    const queued = alice.request('echo', 'queued');
    await proxy.resume();

    assert.equal(await inFlight, 'x');
    assert.equal(await queued, 'queued');
    await waitFor(() => seen.length === 3);
    assert.deepEqual(seen, ['one', 'two', 'three']);
    assert.equal(sessions.length, 2);
    assert.equal(sessions[1].resumed, true);
    assert.equal(sessions[1].id, id);
    assert.equal(await alice.request('whoami'), id);
    assert.deepEqual(await alice.request('myRooms'), ['resumed']);
  } finally {
    alice.close();
    bob.close();
    await proxy.stop();
  }
});

test('a connection that cannot be resumed is reported, and the client carries on with a new one', async () => {
  const proxy = await Proxy.start(new URL(base));
  const client = connect(`ws://127.0.0.1:${proxy.port}/chat`, options);
  const sessions = [];
  client.onSession(session => sessions.push(session));
  try {
    const id = await client.request('whoami');
    await proxy.pause();
    await new Promise(resolve => setTimeout(resolve, 5_000)); // the server's window is 2 s
    await proxy.resume();
    await waitFor(() => sessions.length === 2);
    assert.equal(sessions[1].resumed, false);
    assert.equal(sessions[1].lost, 'expired');
    assert.notEqual(sessions[1].id, id);
    assert.equal(await client.request('whoami'), sessions[1].id);
    assert.equal(client.id, sessions[1].id);
  } finally {
    client.close();
    await proxy.stop();
  }
});

async function waitFor(condition, timeout = 10_000) {
  const start = Date.now();
  while (!condition()) {
    if (Date.now() - start > timeout) throw new Error(`timed out waiting for ${condition}`);
    await new Promise(resolve => setTimeout(resolve, 10));
  }
}
