import { RouteCase } from './route-case';

export const orgCases: RouteCase[] = [];
