import type { DeliveryEvent } from '../entities/delivery.entity';

/**
 * The zh-CN text of a notification for group robots (WeCom, DingTalk): a heading and a few
 * lines read from the payload the deciding feature stored (a work order's or a meeting's).
 * Labels are spelled here rather than imported: delivery sits below work orders and meetings.
 */
export interface MessageText {
  /** One line, e.g. "【紧急】新工单：烟感报警 2单元3楼". */
  heading: string;
  /** "label：value" lines. */
  lines: string[];
}

export const EVENT_TEXT: Record<DeliveryEvent, string> = {
  created: '新工单',
  escalated: '工单升级',
  reminder: '催办提醒',
  reassigned: '工单改派',
  reopened: '工单重新打开',
  meeting_notice: '联席会议通知',
  meeting_reminder: '联席会议提醒',
  minutes: '联席会议纪要',
};

const SEVERITY_TEXT: Record<string, string> = { critical: '紧急', major: '重要', minor: '次要', warning: '提示' };
const LEVEL_TEXT: Record<string, string> = { community: '社区', street: '街道', district: '区/县', city: '市' };
const STATUS_TEXT: Record<string, string> = {
  reported: '已上报',
  dispatched: '已派单',
  accepted: '已接单',
  in_progress: '处理中',
  on_hold: '挂起',
  resolved: '已办结',
  verified: '已督查',
  closed: '已关闭',
};

const TIME = new Intl.DateTimeFormat('zh-CN', {
  timeZone: 'Asia/Shanghai',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  hour12: false,
});

/** Beijing time, e.g. "2026/11/26 14:05". */
export function beijingTime(value: unknown): string | undefined {
  if (typeof value !== 'string' && typeof value !== 'number') return undefined;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? undefined : TIME.format(date);
}

function record(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}

function text(value: unknown): string | undefined {
  if (typeof value === 'string') return value.trim() === '' ? undefined : value.trim();
  if (typeof value === 'number') return String(value);
  return undefined;
}

function line(label: string, value: string | undefined): string[] {
  return value === undefined ? [] : [`${label}：${value}`];
}

export function messageText(event: DeliveryEvent, payload: Record<string, unknown>): MessageText {
  const order = record(payload.workOrder);
  if (order) return workOrderText(event, payload, order);
  const meeting = record(payload.meeting);
  if (meeting) return meetingText(event, meeting);
  const title = text(payload.title);
  return { heading: title ? `${EVENT_TEXT[event]}：${title}` : EVENT_TEXT[event], lines: line('说明', text(payload.text)) };
}

function workOrderText(event: DeliveryEvent, payload: Record<string, unknown>, order: Record<string, unknown>): MessageText {
  const severity = text(order.severity);
  const severityText = severity ? (SEVERITY_TEXT[severity] ?? severity) : undefined;
  const place = [text(record(order.community)?.name), text(record(order.compound)?.name), text(record(order.device)?.location)]
    .filter((p): p is string => p !== undefined)
    .join(' · ');
  const level = text(payload.level) ?? text(order.level);
  const status = text(order.status);
  const reminder = text(payload.reminder);
  return {
    heading: `${severityText ? `【${severityText}】` : ''}${EVENT_TEXT[event]}：${text(order.title) ?? text(order.number) ?? ''}`,
    lines: [
      ...line('工单编号', text(order.number)),
      ...line('紧急程度', severityText),
      ...line('地点', place === '' ? undefined : place),
      ...line('当前层级', level ? (LEVEL_TEXT[level] ?? level) : undefined),
      ...line('状态', status ? (STATUS_TEXT[status] ?? status) : undefined),
      ...line('接单时限', beijingTime(order.acceptDueAt)),
      ...line('办结时限', beijingTime(order.resolveDueAt)),
      ...(reminder ? [`第${reminder}次催办，请尽快接单`] : []),
    ],
  };
}

function meetingText(event: DeliveryEvent, meeting: Record<string, unknown>): MessageText {
  return {
    heading: `${EVENT_TEXT[event]}：${text(meeting.title) ?? ''}`,
    lines: [...line('时间', beijingTime(meeting.startsAt)), ...line('地点', text(meeting.place)), ...line('状态', text(meeting.statusLabel))],
  };
}

/** Markdown for robots: the heading in bold, then one line each (WeCom and DingTalk read the same subset). */
export function markdownOf(message: MessageText, maxChars: number): string {
  const content = [`**${escapeMarkdown(message.heading)}**`, ...message.lines.map((l) => `> ${escapeMarkdown(l)}`)].join('\n');
  return content.length <= maxChars ? content : `${content.slice(0, maxChars - 1)}…`;
}

const FULL_WIDTH: Record<string, string> = { '*': '＊', '`': '｀', '[': '［', ']': '］', '<': '＜', '>': '＞', '_': '＿' };

/**
 * Device and place names come from operators; their markdown characters become full-width look-alikes
 * (robots do not honour backslash escapes), so a name cannot open a link or emphasis.
 */
function escapeMarkdown(value: string): string {
  return value.replace(/[`*_[\]<>]/g, (c) => FULL_WIDTH[c] ?? c);
}
