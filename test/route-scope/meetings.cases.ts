import { RouteCase } from './route-case';

export const meetingsCases: RouteCase[] = [];
