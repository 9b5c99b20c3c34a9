import { DomainError } from '../shared/domain-error';

/** Lower case after trimming; starts with a letter or digit so it reads well in lists and logs. */
export const USERNAME_PATTERN = /^[a-z0-9][a-z0-9._@-]{2,63}$/;
export const PASSWORD_MIN_LENGTH = 12;
export const PASSWORD_MAX_LENGTH = 200;

export function normaliseUsername(raw: string): string {
  const username = raw.trim().toLowerCase();
  if (!USERNAME_PATTERN.test(username)) {
    throw DomainError.validation('username: 3-64 characters, letters, digits and . _ @ -, starting with a letter or digit', 'username');
  }
  return username;
}

export function checkPassword(password: string, field: string): void {
  if (password.length < PASSWORD_MIN_LENGTH || password.length > PASSWORD_MAX_LENGTH) {
    throw DomainError.validation(`the password needs ${PASSWORD_MIN_LENGTH} to ${PASSWORD_MAX_LENGTH} characters`, field);
  }
}
