import { RouteCase } from './route-case';

export const deliveryCases: RouteCase[] = [];
