import { Agent as HttpAgent, ClientRequest, IncomingMessage, request as httpRequest } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import { Injectable, OnApplicationShutdown } from '@nestjs/common';
import { DeliveryTransport, OutgoingRequest, TransportError, TransportResponse } from '@sc/core/delivery/delivery-ports';

/** Enough of an answer to read a robot's {"errcode": ...}; the rest is not read. */
const BODY_LIMIT = 4096;

/** Kept-alive connections per receiving host: a busy webhook reuses them instead of a handshake per delivery. */
const SOCKETS_PER_HOST = 64;

/**
 * The delivery port over node:http(s) with keep-alive agents. (Node's fetch costs several times
 * the CPU per request through its web streams and abort signals; the worker sends hundreds a
 * second.) The deadline covers the whole exchange, body included; redirects are not followed (a
 * signed webhook goes where it was configured to, or fails).
 */
@Injectable()
export class HttpTransport extends DeliveryTransport implements OnApplicationShutdown {
  private readonly http = new HttpAgent({ keepAlive: true, maxSockets: SOCKETS_PER_HOST });
  private readonly https = new HttpsAgent({ keepAlive: true, maxSockets: SOCKETS_PER_HOST });

  post(request: OutgoingRequest, options: { timeoutMs: number; signal?: AbortSignal }): Promise<TransportResponse> {
    return new Promise<TransportResponse>((resolve, reject) => {
      let url: URL;
      try {
        url = new URL(request.url);
      } catch (error: unknown) {
        reject(new TransportError('connection failed (invalid URL)', { cause: error }));
        return;
      }
      const secure = url.protocol === 'https:';
      if (!secure && url.protocol !== 'http:') {
        reject(new TransportError(`connection failed (unsupported protocol ${url.protocol})`));
        return;
      }
      if (options.signal?.aborted) {
        reject(new TransportError('aborted: the worker is shutting down'));
        return;
      }
      const body = Buffer.from(request.body, 'utf8');
      const send = secure ? httpsRequest : httpRequest;
      let settled = false;
      let req: ClientRequest | undefined;
      const finish = (outcome: () => void) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        options.signal?.removeEventListener('abort', onAbort);
        outcome();
      };
      const fail = (reason: string, cause?: unknown) => {
        finish(() => reject(new TransportError(reason, { cause })));
        req?.destroy();
      };
      const timer = setTimeout(() => fail(`timeout after ${options.timeoutMs} ms`), options.timeoutMs);
      const onAbort = () => fail('aborted: the worker is shutting down', options.signal?.reason);
      options.signal?.addEventListener('abort', onAbort, { once: true });

      req = send(
        url,
        { method: 'POST', agent: secure ? this.https : this.http, headers: { ...request.headers, 'content-length': String(body.length) } },
        (response: IncomingMessage) => {
          const chunks: Buffer[] = [];
          let size = 0;
          const answer = () => finish(() => resolve({ status: response.statusCode ?? 0, body: Buffer.concat(chunks).subarray(0, BODY_LIMIT).toString('utf8') }));
          response.on('data', (chunk: Buffer) => {
            if (size >= BODY_LIMIT) return;
            chunks.push(chunk);
            size += chunk.length;
          });
          response.on('end', answer);
          response.on('error', (error) => fail('connection failed (the answer broke off)', error));
        },
      );
      req.on('error', (error: NodeJS.ErrnoException) => fail(`connection failed${typeof error.code === 'string' ? ` (${error.code})` : ''}`, error));
      req.end(body);
    });
  }

  /** After the workers have closed (their active sends finish first, in onModuleDestroy). */
  onApplicationShutdown(): void {
    this.http.destroy();
    this.https.destroy();
  }
}
