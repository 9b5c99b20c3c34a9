import { accountsCases } from './accounts.cases';
import { devicesCases } from './devices.cases';
import { ingestCases } from './ingest.cases';
import { orgCases } from './org.cases';
import { RouteCase } from './route-case';
import { alertsCases } from './alerts.cases';
import { workOrdersCases } from './work-orders.cases';
import { deliveryCases } from './delivery.cases';
import { meetingsCases } from './meetings.cases';

/** Cases of every feature's routes; the auth routes are in auth.cases.ts. */
export const ROUTE_CASES: RouteCase[] = [...orgCases, ...devicesCases, ...accountsCases, ...ingestCases, ...alertsCases, ...workOrdersCases, ...deliveryCases, ...meetingsCases];
