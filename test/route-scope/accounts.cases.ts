import { RouteCase } from './route-case';

export const accountsCases: RouteCase[] = [];
