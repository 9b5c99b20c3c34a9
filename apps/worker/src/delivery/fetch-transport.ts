import { Injectable } from '@nestjs/common';
import { DeliveryTransport, OutgoingRequest, TransportError, TransportResponse } from '@sc/core/delivery/delivery-ports';

/** Enough of an answer to read a robot's {"errcode": ...}; the rest is not read. */
const BODY_LIMIT = 4096;

/**
 * The delivery port over Node's fetch (undici, keep-alive pooled). The deadline covers the
 * whole exchange, body included; redirects are not followed (a signed webhook goes where it
 * was configured to, or fails).
 */
@Injectable()
export class FetchTransport extends DeliveryTransport {
  async post(request: OutgoingRequest, options: { timeoutMs: number; signal?: AbortSignal }): Promise<TransportResponse> {
    const deadline = AbortSignal.timeout(options.timeoutMs);
    const signal = options.signal ? AbortSignal.any([deadline, options.signal]) : deadline;
    try {
      const response = await fetch(request.url, { method: 'POST', headers: request.headers, body: request.body, signal, redirect: 'manual' });
      return { status: response.status, body: await readStart(response) };
    } catch (error: unknown) {
      if (deadline.aborted) throw new TransportError(`timeout after ${options.timeoutMs} ms`, { cause: error });
      if (options.signal?.aborted) throw new TransportError('aborted: the worker is shutting down', { cause: error });
      const code = (error as { cause?: { code?: unknown } }).cause?.code;
      throw new TransportError(`connection failed${typeof code === 'string' ? ` (${code})` : ''}`, { cause: error });
    }
  }
}

async function readStart(response: Response): Promise<string> {
  if (!response.body) return '';
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(value);
    size += value.byteLength;
    if (size >= BODY_LIMIT) {
      await reader.cancel();
      break;
    }
  }
  return Buffer.concat(chunks).subarray(0, BODY_LIMIT).toString('utf8');
}
