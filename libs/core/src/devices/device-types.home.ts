import { DeviceTypeSpec } from './device-type';
import { name, field, alert, event, BATTERY, RSSI, DEVICE_FAULT, BATTERY_LOW, BATTERY_RULE } from './device-types.shared';

/** Sensors of homes and common areas: fire, gas, water, doors. */

export const SMOKE: DeviceTypeSpec = {
  code: 'smoke',
  name: name('Smoke alarm', '烟感'),
  power: 'battery',
  network: 'nb-iot',
  heartbeatSeconds: 4 * 3600,
  category: 'facility',
  offlineSeverity: 'major',
  telemetry: [
    field('obscuration', 'Smoke obscuration', '烟雾浓度(减光率)', 'dB/m', 0, 2),
    field('temperature', 'Temperature', '温度', '°C', -40, 125),
    BATTERY,
    RSSI,
  ],
  events: [
    event('smoke.alarm', 'Smoke alarm', '烟雾报警', { alert: alert('critical', 'safety') }),
    event('smoke.clear', 'Smoke alarm cleared', '烟雾报警解除', { clears: 'smoke.alarm' }),
    event('smoke.test', 'Self-test', '自检测试'),
    event('smoke.silenced', 'Alarm silenced', '报警消音'),
    event('smoke.tamper', 'Removed from base', '防拆报警(被拆除)', { alert: alert('major', 'facility') }),
    DEVICE_FAULT,
    BATTERY_LOW,
  ],
  thresholds: [
    // 57 °C is the typical static response temperature of an A1 heat detector (GB 4716).
    { field: 'temperature', op: 'gt', limit: 57, alertType: 'smoke.heat', name: name('High temperature', '温度过高'), severity: 'critical', category: 'safety' },
    BATTERY_RULE,
  ],
};

export const GAS: DeviceTypeSpec = {
  code: 'gas',
  name: name('Gas detector', '燃气'),
  power: 'mains',
  network: 'nb-iot',
  heartbeatSeconds: 3600,
  category: 'facility',
  offlineSeverity: 'major',
  telemetry: [
    field('lel', 'Combustible gas', '可燃气体浓度', '%LEL', 0, 100),
    field('co', 'Carbon monoxide', '一氧化碳浓度', 'ppm', 0, 1000),
    RSSI,
  ],
  events: [
    event('gas.alarm', 'Gas leak alarm', '燃气泄漏报警', { alert: alert('critical', 'safety') }),
    event('gas.clear', 'Gas alarm cleared', '燃气报警解除', { clears: 'gas.alarm' }),
    event('gas.co_alarm', 'Carbon monoxide alarm', '一氧化碳报警', { alert: alert('critical', 'safety') }),
    event('gas.valve_closed', 'Shut-off valve closed', '切断阀已关闭'),
    event('gas.sensor_expired', 'Sensor end of life', '传感器寿命到期', { alert: alert('minor', 'facility') }),
    DEVICE_FAULT,
  ],
  thresholds: [
    // Household detectors alarm at no more than 25 %LEL (GB 15322.2); 10 % held for minutes is an early warning.
    { field: 'lel', op: 'gt', limit: 10, forMinutes: 5, alertType: 'gas.lel_high', name: name('Gas concentration high', '燃气浓度偏高'), severity: 'major', category: 'safety' },
    { field: 'co', op: 'gt', limit: 50, forMinutes: 30, alertType: 'gas.co_high', name: name('Carbon monoxide high', '一氧化碳浓度偏高'), severity: 'major', category: 'safety' },
  ],
};

export const WATER_LEAK: DeviceTypeSpec = {
  code: 'water_leak',
  name: name('Water leak sensor', '水浸'),
  power: 'battery',
  network: 'lorawan',
  heartbeatSeconds: 6 * 3600,
  category: 'facility',
  offlineSeverity: 'minor',
  telemetry: [field('leak', 'Water detected', '浸水状态', '', 0, 1), BATTERY, RSSI],
  events: [
    event('water.leak', 'Water leak', '水浸报警', { alert: alert('major', 'facility') }),
    event('water.leak_cleared', 'Water leak cleared', '水浸报警解除', { clears: 'water.leak' }),
    DEVICE_FAULT,
    BATTERY_LOW,
  ],
  thresholds: [BATTERY_RULE],
};

export const WATER_METER: DeviceTypeSpec = {
  code: 'water_meter',
  name: name('Smart water meter', '智能水表'),
  power: 'battery',
  network: 'nb-iot',
  heartbeatSeconds: 24 * 3600,
  category: 'facility',
  offlineSeverity: 'warning',
  telemetry: [
    field('reading', 'Meter reading', '累计读数', 'm³', 0, 99999.999),
    field('flow', 'Flow rate', '瞬时流量', 'm³/h', 0, 50),
    field('valveOpen', 'Valve open', '阀门状态', '', 0, 1),
    BATTERY,
    RSSI,
  ],
  events: [
    event('meter.continuous_flow', 'Continuous flow (suspected leak)', '持续用水(疑似漏水)', { alert: alert('minor', 'facility') }),
    event('meter.burst', 'Burst pipe (abnormal flow)', '爆管(异常大流量)', { alert: alert('major', 'facility') }),
    event('meter.reverse_flow', 'Reverse flow', '水表倒流', { alert: alert('warning', 'facility') }),
    event('meter.magnetic_tamper', 'Magnetic tampering', '磁干扰', { alert: alert('minor', 'facility') }),
    event('meter.valve_closed', 'Valve closed', '阀门已关闭'),
    DEVICE_FAULT,
    BATTERY_LOW,
  ],
  thresholds: [BATTERY_RULE],
};

export const DOOR_CONTACT: DeviceTypeSpec = {
  code: 'door_contact',
  name: name('Door contact', '门磁'),
  power: 'battery',
  network: 'lorawan',
  heartbeatSeconds: 3600,
  category: 'facility',
  offlineSeverity: 'minor',
  telemetry: [field('open', 'Door open', '门开关状态', '', 0, 1), BATTERY, RSSI],
  events: [
    event('door.open', 'Door opened', '门已打开'),
    event('door.close', 'Door closed', '门已关闭', { clears: 'door.left_open' }),
    event('door.tamper', 'Sensor tampered', '门磁防拆报警', { alert: alert('minor', 'facility') }),
    BATTERY_LOW,
  ],
  thresholds: [
    // Fire doors (常闭式防火门) and unit entrance doors must not stay open.
    { field: 'open', op: 'gt', limit: 0, forMinutes: 30, alertType: 'door.left_open', name: name('Door left open', '门长时间未关'), severity: 'warning', category: 'facility' },
    BATTERY_RULE,
  ],
};
