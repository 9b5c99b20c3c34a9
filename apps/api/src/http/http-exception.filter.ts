import { ArgumentsHost, Catch, ExceptionFilter, HttpException, HttpStatus, Logger } from '@nestjs/common';
import { Request, Response } from 'express';
import { DomainError, DomainErrorDetail, DomainErrorKind } from '@sc/core/shared/domain-error';
import { ErrorBody } from './error-body';

const STATUS_BY_KIND: Record<DomainErrorKind, number> = {
  validation: HttpStatus.BAD_REQUEST,
  not_found: HttpStatus.NOT_FOUND,
  conflict: HttpStatus.CONFLICT,
  forbidden: HttpStatus.FORBIDDEN,
  unauthenticated: HttpStatus.UNAUTHORIZED,
  state: HttpStatus.CONFLICT,
};

/** Maps domain errors and Nest's HTTP exceptions to the one error shape; hides internals of 500s. */
@Catch()
export class HttpExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('HttpError');

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const req = http.getRequest<Request & { id?: string }>();
    const res = http.getResponse<Response>();
    const body = this.toBody(exception);
    body.requestId = typeof req.id === 'string' ? req.id : undefined;
    if (body.statusCode >= 500) {
      this.logger.error({ err: exception, requestId: body.requestId, path: req.path }, 'request failed');
    }
    res.status(body.statusCode).json(body);
  }

  private toBody(exception: unknown): ErrorBody {
    if (exception instanceof DomainError) {
      const statusCode = STATUS_BY_KIND[exception.kind];
      return { statusCode, error: reason(statusCode), message: exception.message, details: exception.details };
    }
    if (exception instanceof HttpException) {
      const statusCode = exception.getStatus();
      const response = exception.getResponse();
      const { message, details } = fromNestResponse(response, exception.message);
      return { statusCode, error: reason(statusCode), message, details };
    }
    return { statusCode: 500, error: reason(500), message: 'internal error', details: [] };
  }
}

function fromNestResponse(response: string | object, fallback: string): { message: string; details: DomainErrorDetail[] } {
  if (typeof response === 'string') return { message: response, details: [] };
  const record = response as { message?: unknown; details?: unknown };
  const details = Array.isArray(record.details) ? (record.details as DomainErrorDetail[]) : [];
  if (Array.isArray(record.message)) return { message: record.message.join('; '), details };
  return { message: typeof record.message === 'string' ? record.message : fallback, details };
}

function reason(status: number): string {
  const name = HttpStatus[status];
  return typeof name === 'string'
    ? name
        .toLowerCase()
        .split('_')
        .map((w) => w.charAt(0).toUpperCase() + w.slice(1))
        .join(' ')
    : 'Error';
}
