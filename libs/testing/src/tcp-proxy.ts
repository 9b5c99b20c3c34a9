import { createConnection, createServer, Server, Socket } from 'node:net';

/**
 * A TCP proxy the test controls, put between an app and a server (PostgreSQL) to make the
 * server unreachable for a while. `block()` cuts every open connection (as a dead network
 * path or a server restart does: the client sees its socket close mid-query) and holds new
 * connections unanswered; `unblock()` lets the held ones through to the server.
 */
export class TcpProxy {
  private readonly open = new Set<Socket>();
  private held: Socket[] = [];
  private blocked = false;
  /** Connections accepted since start; tells a test the app really went through the proxy. */
  accepted = 0;

  private constructor(
    private readonly server: Server,
    readonly port: number,
    private readonly target: { host: string; port: number },
  ) {}

  static async start(target: { host: string; port: number }): Promise<TcpProxy> {
    let proxy: TcpProxy | undefined;
    const server = createServer((client) => proxy?.accept(client));
    await new Promise<void>((ok, fail) => server.once('error', fail).listen(0, '127.0.0.1', ok));
    const address = server.address();
    if (address === null || typeof address === 'string') throw new Error('proxy has no port');
    proxy = new TcpProxy(server, address.port, target);
    return proxy;
  }

  /** The URL with its host and port replaced by the proxy's. */
  rewrite(url: string): string {
    const parsed = new URL(url);
    parsed.hostname = '127.0.0.1';
    parsed.port = String(this.port);
    return parsed.toString();
  }

  get isBlocked(): boolean {
    return this.blocked;
  }

  block(): void {
    this.blocked = true;
    for (const socket of this.open) socket.destroy();
    this.open.clear();
  }

  unblock(): void {
    this.blocked = false;
    const waiting = this.held;
    this.held = [];
    for (const client of waiting) {
      if (!client.destroyed) this.pipe(client);
    }
  }

  async close(): Promise<void> {
    for (const socket of [...this.open, ...this.held]) socket.destroy();
    this.open.clear();
    this.held = [];
    await new Promise<void>((ok) => this.server.close(() => ok()));
  }

  private accept(client: Socket): void {
    this.accepted += 1;
    client.on('error', () => client.destroy());
    if (this.blocked) {
      // Held, not refused: like packets into a partition, the client waits until its own timeout.
      client.pause();
      this.held.push(client);
      return;
    }
    this.pipe(client);
  }

  private pipe(client: Socket): void {
    const upstream = createConnection(this.target);
    this.open.add(client);
    this.open.add(upstream);
    const drop = () => {
      client.destroy();
      upstream.destroy();
      this.open.delete(client);
      this.open.delete(upstream);
    };
    upstream.on('error', drop);
    client.on('error', drop);
    upstream.on('close', drop);
    client.on('close', drop);
    client.pipe(upstream);
    upstream.pipe(client);
    client.resume();
  }
}
