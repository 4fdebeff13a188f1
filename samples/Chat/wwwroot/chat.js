// The chat page. Two ways to reach the same gateway:
// - by default, the repository's TypeScript client (@gateway-dotnet/client, served as lib/gateway-client.js) over
//   the browser's WebSocket with NestJS's ws protocol: connection state shown, sends while offline queued, the
//   connection resumed after a drop (the server sends what was missed), or when it cannot be (the server restarted)
//   the room rejoined and missed messages fetched, every message said once however often it is resent;
// - ?transport=socket.io: socket.io-client in the gateway's "chat" namespace, as a NestJS socket.io app's page would.
import { connect } from './lib/gateway-client.js';

const $ = id => document.getElementById(id);
const messages = $('messages');
const body = document.body;
const labels = { connecting: 'connecting…', online: 'online', reconnecting: 'reconnecting…', offline: 'offline' };
const members = new Set();
let me = null; // { nick, room } once joined

function show(text, className) {
  // Keep the newest line in view unless the reader scrolled up.
  const atBottom = messages.scrollHeight - messages.scrollTop - messages.clientHeight < 40;
  const item = document.createElement('li');
  item.textContent = text;
  if (className) item.className = className;
  messages.append(item);
  if (atBottom) messages.scrollTop = messages.scrollHeight;
  return item;
}

function renderMembers() {
  if (body.dataset.room) $('status').textContent = `In ${body.dataset.room} with ${[...members].sort().join(', ')}.`;
  const list = $('members');
  list.replaceChildren(...[...members].sort().map(nick => {
    const item = document.createElement('li');
    item.textContent = nick;
    return item;
  }));
}

function entered(state) {
  body.dataset.room = state.room;
  members.clear();
  state.members.forEach(nick => members.add(nick));
  renderMembers();
}

const presence = {
  joined: p => { if (p.nick !== me?.nick || !rejoining) show(`${p.nick} joined`, 'system'); members.add(p.nick); renderMembers(); },
  left: p => { show(`${p.nick} left`, 'system'); members.delete(p.nick); renderMembers(); },
};

let rejoining = false;
let join;
let say;

if (new URLSearchParams(location.search).get('transport') === 'socket.io') {
  const socket = io('/chat');
  socket.on('connect', () => { body.dataset.connected = 'true'; body.dataset.state = 'online'; $('state').textContent = labels.online; });
  socket.on('disconnect', () => { body.dataset.state = 'reconnecting'; $('state').textContent = labels.reconnecting; });
  socket.on('room', entered);
  socket.on('message', m => show(`${m.nick}: ${m.text}`));
  socket.on('joined', presence.joined);
  socket.on('left', presence.left);
  socket.on('exception', e => show(`error: ${e.message ?? JSON.stringify(e)}`, 'system'));
  join = (nick, room) => { me = { nick, room }; socket.emit('join', { nick, room }); };
  say = text => socket.emit('say', text);
} else {
  const client = connect(`${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/chat`, {
    reconnect: { initialDelay: 250, maxDelay: 5000 },
  });
  // The page's key, so that its own older connection gives up the nickname instead of refusing it.
  const session = crypto.randomUUID?.() ?? String(Math.random()).slice(2);
  const seen = new Map(); // message id -> its line
  let lastId = null;

  const receive = m => {
    const line = seen.get(m.id);
    if (line) {
      line.classList.remove('pending'); // our own, confirmed; or a message we already have
      return;
    }
    seen.set(m.id, show(`${m.nick}: ${m.text}`));
    if (m.room === me?.room) lastId = m.id;
  };

  // Whether the connection came back as it was: then it is still in its room, and the server sends what it missed.
  let resumed = false;
  client.onSession(s => { resumed = s.resumed; });
  client.onStateChange(state => {
    body.dataset.state = state;
    $('state').textContent = labels[state];
    if (state !== 'online') return;
    body.dataset.connected = 'true';
    // Back on a new connection: enter the room again and fetch what was said meanwhile (before what was queued goes out).
    if (me && !resumed) enter(me.nick, me.room, true);
  });
  client.on('message', receive);
  client.on('joined', presence.joined);
  client.on('left', presence.left);
  client.on('exception', e => show(`error: ${e.message ?? JSON.stringify(e)}`, 'system'));

  async function enter(nick, room, again) {
    rejoining = again;
    try {
      const state = await client.request('join', { nick, room, since: lastId, session });
      me = { nick, room };
      entered(state);
      state.history.forEach(receive);
    } catch (error) {
      if (error.kind !== 'connection') show(`error: ${error.message}`, 'system'); // a drop: the next connection rejoins
    } finally {
      rejoining = false;
    }
  }

  join = (nick, room) => {
    if (room !== me?.room) lastId = null;
    enter(nick, room, false);
  };
  say = text => {
    const id = crypto.randomUUID?.() ?? `${Date.now()}-${Math.random()}`;
    const line = show(`${me?.nick ?? '?'}: ${text}`, 'pending');
    seen.set(id, line);
    const attempt = () => client.request('post', { id, text }, { timeout: Infinity }).then(
      () => line.classList.remove('pending'),
      error => {
        // Lost with its connection: sent again on the next one (the server says it once); anything else is shown.
        if (error.kind === 'connection') return attempt();
        line.classList.remove('pending');
        line.classList.add('failed');
        line.dataset.reason = error.kind === 'queue' ? 'offline, and too many messages waiting' : error.message;
      });
    attempt();
  };
}

$('join').addEventListener('submit', e => {
  e.preventDefault();
  join($('nick').value, $('room').value);
});
$('say').addEventListener('submit', e => {
  e.preventDefault();
  const text = $('text');
  say(text.value);
  text.value = '';
});
