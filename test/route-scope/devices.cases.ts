import { RouteCase } from './route-case';

export const devicesCases: RouteCase[] = [];
