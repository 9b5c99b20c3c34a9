import { RouteCase } from './route-case';

export const workOrdersCases: RouteCase[] = [];
