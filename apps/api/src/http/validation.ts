import { BadRequestException, ValidationError, ValidationPipe } from '@nestjs/common';
import { DomainErrorDetail } from '@sc/core/shared/domain-error';

function flatten(errors: ValidationError[], prefix = ''): DomainErrorDetail[] {
  return errors.flatMap((e) => {
    const field = prefix ? `${prefix}.${e.property}` : e.property;
    const own = Object.values(e.constraints ?? {}).map((message) => ({ field, message }));
    return [...own, ...flatten(e.children ?? [], field)];
  });
}

/** Validation errors are 400s naming every field that is wrong. */
export function createValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    transformOptions: { enableImplicitConversion: false },
    exceptionFactory: (errors) => {
      const details = flatten(errors);
      const fields = [...new Set(details.map((d) => d.field))].join(', ');
      return new BadRequestException({ message: `validation failed: ${fields}`, details });
    },
  });
}
