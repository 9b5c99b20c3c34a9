import type { DeliveryStatus, DeliveryEvent } from './entities/delivery.entity';
import type { DeliveryChannel, DeliveryOwnerKind } from './entities/delivery-target.entity';
import { EVENT_TEXT } from './channels/message-text';

export const DELIVERY_CHANNELS: readonly DeliveryChannel[] = ['webhook', 'wecom', 'dingtalk'];
export const DELIVERY_OWNER_KINDS: readonly DeliveryOwnerKind[] = ['grid_worker', 'company', 'unit', 'account'];
export const DELIVERY_STATUSES: readonly DeliveryStatus[] = ['pending', 'delivered', 'dead'];

export const DELIVERY_CHANNEL_LABELS: Record<DeliveryChannel, { en: string; zh: string }> = {
  webhook: { en: 'Signed webhook', zh: '签名Webhook' },
  wecom: { en: 'WeCom group robot', zh: '企业微信群机器人' },
  dingtalk: { en: 'DingTalk group robot', zh: '钉钉群机器人' },
};

export const DELIVERY_OWNER_KIND_LABELS: Record<DeliveryOwnerKind, { en: string; zh: string }> = {
  grid_worker: { en: 'Grid worker', zh: '网格员' },
  company: { en: 'Property company', zh: '物业服务企业' },
  unit: { en: 'Org unit (officers / desk)', zh: '组织单位(干部/窗口)' },
  account: { en: 'Account', zh: '账号' },
};

export const DELIVERY_STATUS_LABELS: Record<DeliveryStatus, { en: string; zh: string }> = {
  pending: { en: 'Pending', zh: '待送达' },
  delivered: { en: 'Delivered', zh: '已送达' },
  dead: { en: 'Dead (retries used up)', zh: '投递失败(已转死信)' },
};

export const DELIVERY_EVENT_LABELS: Record<DeliveryEvent, { en: string; zh: string }> = {
  created: { en: 'New work order', zh: EVENT_TEXT.created },
  escalated: { en: 'Escalated', zh: EVENT_TEXT.escalated },
  reminder: { en: 'Reminder', zh: EVENT_TEXT.reminder },
  reassigned: { en: 'Reassigned', zh: EVENT_TEXT.reassigned },
  reopened: { en: 'Reopened', zh: EVENT_TEXT.reopened },
  meeting_notice: { en: 'Joint-meeting notice', zh: EVENT_TEXT.meeting_notice },
  meeting_reminder: { en: 'Joint-meeting reminder', zh: EVENT_TEXT.meeting_reminder },
  minutes: { en: 'Joint-meeting minutes', zh: EVENT_TEXT.minutes },
};
