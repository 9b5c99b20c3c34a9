/**
 * Domain errors: the API maps each kind to an HTTP status; other adapters record them.
 * `field` names the offending input so a client can point at it.
 */
export type DomainErrorKind = 'validation' | 'not_found' | 'conflict' | 'forbidden' | 'unauthenticated' | 'state';

export interface DomainErrorDetail {
  field?: string;
  row?: number;
  message: string;
}

export class DomainError extends Error {
  constructor(
    readonly kind: DomainErrorKind,
    message: string,
    readonly details: DomainErrorDetail[] = [],
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'DomainError';
  }

  static validation(message: string, field?: string): DomainError {
    return new DomainError('validation', message, field ? [{ field, message }] : []);
  }
  static notFound(what: string, id: string, field?: string): DomainError {
    const message = `${what} ${id} not found`;
    return new DomainError('not_found', message, field ? [{ field, message }] : []);
  }
  static conflict(message: string, field?: string): DomainError {
    return new DomainError('conflict', message, field ? [{ field, message }] : []);
  }
  static forbidden(message: string): DomainError {
    return new DomainError('forbidden', message);
  }
}
