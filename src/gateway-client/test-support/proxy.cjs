// A TCP proxy in front of a server, for tests that lose the network: pause() drops every connection through it and
// refuses new ones until resume(). Shared by the client's own tests and the Chat sample's browser tests.
const net = require('node:net');

/** A TCP proxy to the server: pause() drops every connection and refuses new ones until resume(). */
class Proxy {
  static async start(target) {
    const proxy = new Proxy(target);
    await proxy.resume();
    return proxy;
  }

  constructor(target) {
    this.target = target;
    this.sockets = new Set();
    this.port = 0;
  }

  resume() {
    this.server = net.createServer(client => {
      const upstream = net.connect(Number(this.target.port), this.target.hostname);
      for (const [a, b] of [[client, upstream], [upstream, client]]) {
        this.sockets.add(a);
        a.on('error', () => b.destroy());
        a.on('close', () => { this.sockets.delete(a); b.destroy(); });
        a.pipe(b);
      }
    });
    return new Promise(resolve => this.server.listen(this.port, '127.0.0.1', () => {
      this.port = this.server.address().port;
      resolve();
    }));
  }

  pause() {
    for (const socket of this.sockets) socket.destroy();
    return new Promise(resolve => this.server.close(() => resolve()));
  }

  async stop() {
    if (this.server.listening) await this.pause();
  }
}

module.exports = { Proxy };
