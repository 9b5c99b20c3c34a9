import { RouteCase } from './route-case';

export const alertsCases: RouteCase[] = [];
