import { SYSTEM_ACTOR } from '@sc/core/audit/actor';
import { SlaPolicy } from '@sc/core/work-orders/entities/sla-policy.entity';
import { WorkOrder } from '@sc/core/work-orders/entities/work-order.entity';
import { WorkOrderStatus } from '@sc/core/work-orders/work-order-states';
import { WorkOrdersService } from '@sc/core/work-orders/work-orders.service';
import type { TestApp } from '../support/test-app';
import { RouteCase, ScopeWorld } from './route-case';

/** An order in A's community and compound, routed to A's desk, then put in `status`. */
function arrangeOrder(status: WorkOrderStatus = 'dispatched') {
  return async (world: ScopeWorld, t: TestApp): Promise<void> => {
    const service = t.app.get(WorkOrdersService);
    const result = await t.em().transactional((em) =>
      service.open(
        em,
        {
          source: 'patrol',
          category: 'facility',
          type: 'repair',
          severity: 'minor',
          title: '设施报修',
          communityId: world.a.community.id,
          compoundId: world.a.compound.id,
          route: { desk: true, reason: 'route-scope case' },
        },
        SYSTEM_ACTOR,
      ),
    );
    if (status !== 'dispatched') await t.em().nativeUpdate(WorkOrder, { id: result.workOrderId }, { status });
    world.ids.order = result.workOrderId;
  };
}

async function arrangeSlaPolicy(world: ScopeWorld, t: TestApp): Promise<void> {
  const em = t.em();
  const category = `rs_${Math.random().toString(36).slice(2, 10)}`;
  const policy = em.create(SlaPolicy, { category, severityKey: '*', acceptSeconds: 60, resolveSeconds: 600 });
  await em.flush();
  world.ids.slaPolicy = policy.id;
}

const orderUrl = (world: ScopeWorld, suffix = '') => `/work-orders/${world.ids.order}${suffix}`;

function action(name: string, status: WorkOrderStatus, body: (world: ScopeWorld) => unknown = () => ({})): RouteCase {
  return {
    method: 'POST',
    path: `/work-orders/:id/${name}`,
    arrange: arrangeOrder(status),
    request: (world) => ({ url: orderUrl(world, `/${name}`), body: body(world) }),
  };
}

export const workOrdersCases: RouteCase[] = [
  { method: 'GET', path: '/work-orders', arrange: arrangeOrder(), request: (world) => ({ url: `/work-orders?communityId=${world.a.community.id}` }) },
  { method: 'GET', path: '/work-orders/feed', arrange: arrangeOrder(), request: (world) => ({ url: `/work-orders/feed?companyId=${world.a.company.id}` }) },
  {
    method: 'POST',
    path: '/work-orders',
    request: (world) => ({
      url: '/work-orders',
      body: { communityId: world.a.community.id, category: 'facility', type: 'stairwell.light', severity: 'minor', title: '楼道灯不亮' },
    }),
  },
  { method: 'GET', path: '/work-orders/:id', arrange: arrangeOrder(), request: (world) => ({ url: orderUrl(world) }) },
  { method: 'GET', path: '/work-orders/:id/history', arrange: arrangeOrder(), request: (world) => ({ url: orderUrl(world, '/history') }) },
  action('accept', 'dispatched'),
  action('start', 'accepted'),
  action('hold', 'in_progress', () => ({ reason: '等待配件' })),
  action('resume', 'on_hold'),
  action('resolve', 'accepted'),
  action('verify', 'resolved'),
  action('close', 'dispatched', () => ({ reason: 'false_alarm' })),
  action('reopen', 'closed'),
  action('assign', 'dispatched', () => ({ desk: true })),
  action('notes', 'dispatched', () => ({ text: '已联系' })),
  action('evidence', 'accepted', () => ({ urls: ['https://photos.example.cn/1.jpg'] })),
  action('progress', 'accepted', () => ({ percent: 50 })),
  {
    method: 'POST',
    path: '/desk/requests',
    request: (world) => ({
      url: '/desk/requests',
      body: { communityId: world.a.community.id, requestType: 'residence_certificate', title: '居住证明', documentsComplete: true },
    }),
  },
  {
    method: 'POST',
    path: '/visits',
    request: (world) => ({
      url: '/visits',
      body: { communityId: world.a.community.id, scheduledAt: new Date(Date.now() + 86_400_000).toISOString(), title: '上门探访' },
    }),
  },
  { method: 'GET', path: '/routing-policies', request: (world) => ({ url: `/routing-policies?communityId=${world.a.community.id}` }) },
  {
    method: 'PUT',
    path: '/routing-policies',
    request: (world) => ({ url: '/routing-policies', body: { communityId: world.a.community.id, categories: { facility: 'desk' } } }),
  },
  { method: 'GET', path: '/sla-policies', access: 'global', request: () => ({ url: '/sla-policies' }) },
  {
    method: 'PUT',
    path: '/sla-policies',
    request: () => ({ url: '/sla-policies', body: { category: 'route_scope', acceptMinutes: 10, resolveMinutes: 60 } }),
  },
  { method: 'DELETE', path: '/sla-policies/:id', arrange: arrangeSlaPolicy, request: (world) => ({ url: `/sla-policies/${world.ids.slaPolicy}` }) },
  { method: 'GET', path: '/stats/work-orders', request: (world) => ({ url: `/stats/work-orders?unitId=${world.a.community.id}` }) },
];
