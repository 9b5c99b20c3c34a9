import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import { AddressInfo } from 'node:net';
import { verifyWebhook, WEBHOOK_HEADERS, WebhookVerdict } from '@sc/messaging';

/** One request the receiver got. */
export interface ReceivedRequest {
  path: string;
  /** Path and query as sent (DingTalk robots are signed in the query). */
  url: string;
  headers: Record<string, string | string[] | undefined>;
  rawBody: string;
  body: unknown;
  receivedAt: number;
  /** The answer it got (a failing or hanging endpoint's requests are recorded too). */
  answered: number | 'hung';
  /** Signature check with the endpoint's secret, when one was set. */
  verdict?: WebhookVerdict;
  deliveryId?: string;
}

type Behaviour = { kind: 'fail'; remaining: number; status: number } | { kind: 'hang' } | { kind: 'slow'; ms: number } | { kind: 'ok' };

/**
 * A local HTTP server standing in for the property companies' and grid workers' systems
 * (tests and the alerts benchmark). Each path is one endpoint; an endpoint can be told to fail
 * N times, to fail forever, or to never answer. It verifies signatures as the README tells
 * receivers to, with the endpoint's secret.
 */
export class WebhookReceiver {
  readonly requests: ReceivedRequest[] = [];
  private readonly behaviours = new Map<string, Behaviour>();
  private readonly secrets = new Map<string, string>();
  private readonly hung = new Set<ServerResponse>();
  private server?: Server;
  private port = 0;
  private listeners: ((r: ReceivedRequest) => void)[] = [];
  private readonly arrivals = new Map<string, number>();
  private readonly slowTimers = new Set<NodeJS.Timeout>();

  async start(): Promise<this> {
    this.server = createServer((req, res) => void this.handle(req, res));
    this.server.keepAliveTimeout = 60_000;
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.port = (this.server.address() as AddressInfo).port;
    return this;
  }

  /** URL of an endpoint, e.g. url('/grid-worker-1'). */
  url(path: string): string {
    return `http://127.0.0.1:${this.port}${path}`;
  }

  setSecret(path: string, secret: string): void {
    this.secrets.set(path, secret);
  }

  /** The next `times` requests to the path get `status` (Infinity: until told otherwise). */
  failNext(path: string, times: number, status = 500): void {
    this.behaviours.set(path, { kind: 'fail', remaining: times, status });
  }

  /** Requests to the path are never answered. */
  hang(path: string): void {
    this.behaviours.set(path, { kind: 'hang' });
  }

  /** Requests to the path are answered 200 after `ms` (an active job to wait for at shutdown). */
  slow(path: string, ms: number): void {
    this.behaviours.set(path, { kind: 'slow', ms });
  }

  /** Requests that arrived on a path, answered or not yet. */
  arrived(path: string): number {
    return this.arrivals.get(path) ?? 0;
  }

  recover(path: string): void {
    this.behaviours.set(path, { kind: 'ok' });
  }

  /** Requests answered 2xx on a path (or all paths). */
  delivered(path?: string): ReceivedRequest[] {
    return this.requests.filter((r) => (path === undefined || r.path === path) && typeof r.answered === 'number' && r.answered < 300);
  }

  onRequest(listener: (r: ReceivedRequest) => void): void {
    this.listeners.push(listener);
  }

  async stop(): Promise<void> {
    for (const timer of this.slowTimers) clearTimeout(timer);
    this.slowTimers.clear();
    for (const res of this.hung) res.destroy();
    this.hung.clear();
    if (!this.server) return;
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server!.close(() => resolve()));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const rawBody = Buffer.concat(chunks).toString('utf8');
    const path = (req.url ?? '/').split('?')[0];
    this.arrivals.set(path, (this.arrivals.get(path) ?? 0) + 1);
    const behaviour = this.behaviours.get(path) ?? { kind: 'ok' };
    const secret = this.secrets.get(path);
    let body: unknown = rawBody;
    try {
      body = JSON.parse(rawBody);
    } catch {
      // not JSON: kept as text
    }
    const record: ReceivedRequest = {
      path,
      url: req.url ?? '/',
      headers: req.headers,
      rawBody,
      body,
      receivedAt: Date.now(),
      answered: 200,
      verdict: secret !== undefined ? verifyWebhook(secret, req.headers, rawBody) : undefined,
      deliveryId: single(req.headers[WEBHOOK_HEADERS.delivery]),
    };
    if (behaviour.kind === 'hang') {
      record.answered = 'hung';
      this.hung.add(res);
      res.on('close', () => this.hung.delete(res));
    } else if (behaviour.kind === 'fail' && behaviour.remaining > 0) {
      behaviour.remaining -= 1;
      record.answered = behaviour.status;
      res.writeHead(behaviour.status, { 'content-type': 'text/plain' }).end('failing on purpose');
    } else if (behaviour.kind === 'slow') {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(() => {
          this.slowTimers.delete(timer);
          resolve();
        }, behaviour.ms);
        this.slowTimers.add(timer);
      });
      record.answered = 200;
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"errcode":0,"errmsg":"ok"}');
    } else if (record.verdict && !record.verdict.ok) {
      record.answered = 401;
      res.writeHead(401, { 'content-type': 'text/plain' }).end(record.verdict.reason);
    } else {
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"errcode":0,"errmsg":"ok"}');
    }
    this.requests.push(record);
    for (const listener of this.listeners) listener(record);
  }
}

function single(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}
