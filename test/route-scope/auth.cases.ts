import { RouteCase } from './route-case';

export const authCases: RouteCase[] = [
  { method: 'POST', path: '/auth/login', access: 'public', request: () => ({ url: '/auth/login', body: { username: 'x', password: 'y' } }) },
  { method: 'GET', path: '/auth/me', access: 'self', request: () => ({ url: '/auth/me' }) },
  { method: 'GET', path: '/health', access: 'public', request: () => ({ url: '/health' }) },
];
