import { DeviceTypeSpec } from './device-type';
import { name, field, alert, event, BATTERY, RSSI, DEVICE_FAULT, BATTERY_LOW, CAMERA_OCCLUDED, BATTERY_RULE } from './device-types.shared';

/** Equipment of buildings and grounds, and care devices. */

export const ACCESS_CONTROLLER: DeviceTypeSpec = {
  code: 'access_controller',
  name: name('Access controller', '门禁'),
  power: 'mains',
  network: 'ethernet',
  heartbeatSeconds: 60,
  category: 'facility',
  offlineSeverity: 'major',
  telemetry: [field('doorOpen', 'Door open', '门开关状态', '', 0, 1)],
  events: [
    // data.subject is a card number or face id: pseudonymised on arrival (PIPL).
    event('access.granted', 'Access granted', '开门成功', { personalSubject: true }),
    event('access.denied', 'Access denied', '开门被拒', { personalSubject: true }),
    event('door.forced', 'Door forced open', '强行开门', { personalSubject: true, alert: alert('major', 'facility') }),
    event('door.held_open', 'Door held open', '门开启超时', { personalSubject: true, alert: alert('minor', 'facility') }),
    event('access.tamper', 'Controller tampered', '门禁防拆报警', { alert: alert('major', 'facility') }),
    DEVICE_FAULT,
  ],
  thresholds: [],
};

export const ELEVATOR: DeviceTypeSpec = {
  code: 'elevator',
  name: name('Elevator monitor', '电梯'),
  power: 'mains',
  network: '4g',
  heartbeatSeconds: 60,
  category: 'facility',
  offlineSeverity: 'major',
  telemetry: [
    field('floor', 'Floor', '所在楼层', '', -10, 200),
    field('speed', 'Car speed', '运行速度', 'm/s', 0, 12),
    field('doorOpen', 'Door open', '门开关状态', '', 0, 1),
    field('occupied', 'Passenger in car', '轿厢有人', '', 0, 1),
    field('temperature', 'Car temperature', '轿厢温度', '°C', -40, 85),
  ],
  events: [
    event('elevator.trapped', 'Passenger trapped', '困人', { alert: alert('critical', 'facility') }),
    event('elevator.rescued', 'Trapped passenger released', '困人解除', { clears: 'elevator.trapped' }),
    event('elevator.fault', 'Elevator fault', '电梯故障', { alert: alert('major', 'facility') }),
    event('elevator.recovered', 'Elevator back in service', '故障恢复', { clears: 'elevator.fault' }),
    event('elevator.door_fault', 'Door fault', '门系统故障', { alert: alert('major', 'facility') }),
    event('elevator.door_open_running', 'Moving with door open', '开门走梯', { alert: alert('critical', 'facility') }),
    event('elevator.stopped_off_level', 'Stopped between floors', '非平层停梯', { alert: alert('major', 'facility') }),
    event('elevator.overspeed', 'Overspeed', '超速', { alert: alert('critical', 'facility') }),
    event('elevator.overtravel', 'Overtravel (top or pit)', '冲顶/蹲底', { alert: alert('critical', 'facility') }),
    event('elevator.power_failure', 'Power failure', '停电', { alert: alert('major', 'facility') }),
    DEVICE_FAULT,
  ],
  thresholds: [
    // A stuck, unventilated car heats up quickly in summer.
    { field: 'temperature', op: 'gt', limit: 40, forMinutes: 10, alertType: 'elevator.car_overheat', name: name('Car too hot', '轿厢温度过高'), severity: 'minor', category: 'facility' },
  ],
};

export const EBIKE_CAMERA: DeviceTypeSpec = {
  code: 'ebike_camera',
  name: name('E-bike-in-elevator camera', '电动车入梯'),
  power: 'mains',
  network: 'ethernet',
  heartbeatSeconds: 60,
  category: 'facility',
  offlineSeverity: 'minor',
  telemetry: [],
  events: [
    // The camera already blocks the doors and warns by voice; the alert sends the property's guard.
    event('ebike.detected', 'E-bike entering elevator', '电动车入梯', { alert: alert('minor', 'facility') }),
    event('ebike.blocked', 'Elevator doors held', '已阻止梯门关闭'),
    CAMERA_OCCLUDED,
    DEVICE_FAULT,
  ],
  thresholds: [],
};

export const THROWING_CAMERA: DeviceTypeSpec = {
  code: 'throwing_camera',
  name: name('High-altitude throwing camera', '高空抛物'),
  power: 'mains',
  network: 'ethernet',
  heartbeatSeconds: 60,
  category: 'facility',
  offlineSeverity: 'minor',
  telemetry: [],
  events: [
    event('throwing.detected', 'Object thrown from height', '高空抛物', { alert: alert('major', 'safety') }),
    CAMERA_OCCLUDED,
    DEVICE_FAULT,
  ],
  thresholds: [],
};

export const HYDRANT_PRESSURE: DeviceTypeSpec = {
  code: 'hydrant_pressure',
  name: name('Hydrant pressure sensor', '消防栓水压'),
  power: 'battery',
  network: 'nb-iot',
  heartbeatSeconds: 6 * 3600,
  category: 'facility',
  offlineSeverity: 'minor',
  telemetry: [
    field('pressure', 'Water pressure', '水压', 'MPa', 0, 2.5),
    field('temperature', 'Temperature', '温度', '°C', -40, 85),
    BATTERY,
    RSSI,
  ],
  events: [
    event('hydrant.low_pressure', 'Low water pressure', '水压过低', { alert: alert('major', 'facility') }),
    event('hydrant.pressure_normal', 'Water pressure normal', '水压恢复正常', { clears: 'hydrant.low_pressure' }),
    event('hydrant.high_pressure', 'High water pressure', '水压过高', { alert: alert('minor', 'facility') }),
    event('hydrant.opened', 'Hydrant opened', '消火栓被开启', { alert: alert('minor', 'facility') }),
    event('hydrant.impact', 'Hydrant hit or tilted', '消火栓被撞/倾倒', { alert: alert('major', 'facility') }),
    DEVICE_FAULT,
    BATTERY_LOW,
  ],
  thresholds: [
    // GB 50974: outdoor hydrants need at least 0.10 MPa at the outlet; indoor static pressure stays within 1.0 MPa.
    { field: 'pressure', op: 'lt', limit: 0.1, forMinutes: 30, alertType: 'hydrant.low_pressure', name: name('Low water pressure', '水压过低'), severity: 'major', category: 'facility' },
    { field: 'pressure', op: 'gt', limit: 1.2, forMinutes: 30, alertType: 'hydrant.high_pressure', name: name('High water pressure', '水压过高'), severity: 'minor', category: 'facility' },
    { field: 'temperature', op: 'lt', limit: 2, forMinutes: 60, alertType: 'hydrant.freeze_risk', name: name('Freezing risk', '低温冻结风险'), severity: 'warning', category: 'facility' },
    BATTERY_RULE,
  ],
};

export const MANHOLE_COVER: DeviceTypeSpec = {
  code: 'manhole_cover',
  name: name('Manhole cover sensor', '井盖'),
  power: 'battery',
  network: 'nb-iot',
  heartbeatSeconds: 24 * 3600,
  category: 'facility',
  offlineSeverity: 'minor',
  telemetry: [
    field('tilt', 'Tilt angle', '倾斜角度', '°', 0, 180),
    field('waterLevel', 'Water level below cover', '井内水位', 'm', 0, 10),
    BATTERY,
    RSSI,
  ],
  events: [
    // An open manhole on a path can kill: critical, which also alerts the grid worker.
    event('manhole.open', 'Cover open or displaced', '井盖开启/移位', { alert: alert('critical', 'facility') }),
    event('manhole.closed', 'Cover back in place', '井盖复位', { clears: 'manhole.open' }),
    event('manhole.tilt', 'Cover tilted', '井盖倾斜', { alert: alert('major', 'facility') }),
    event('manhole.overflow', 'Overflow', '井内满溢', { alert: alert('major', 'facility') }),
    DEVICE_FAULT,
    BATTERY_LOW,
  ],
  thresholds: [
    { field: 'tilt', op: 'gt', limit: 15, alertType: 'manhole.tilt', name: name('Cover tilted', '井盖倾斜'), severity: 'major', category: 'facility' },
    BATTERY_RULE,
  ],
};

export const SOS_BUTTON: DeviceTypeSpec = {
  code: 'sos_button',
  name: name('SOS button', '一键呼叫'),
  power: 'battery',
  network: 'lorawan',
  heartbeatSeconds: 3600,
  category: 'facility',
  // A dead button in the home of an elderly resident living alone is a silent failure.
  offlineSeverity: 'major',
  telemetry: [BATTERY, RSSI],
  events: [
    event('sos.pressed', 'SOS pressed', '一键呼叫', { alert: alert('critical', 'safety') }),
    event('sos.cancelled', 'SOS cancelled', '取消呼叫', { clears: 'sos.pressed' }),
    DEVICE_FAULT,
    BATTERY_LOW,
  ],
  thresholds: [BATTERY_RULE],
};

export const FALL_DETECTOR: DeviceTypeSpec = {
  code: 'fall_detector',
  name: name('Fall detector', '跌倒'),
  power: 'mains',
  network: 'wifi',
  heartbeatSeconds: 300,
  category: 'facility',
  offlineSeverity: 'major',
  // A millimetre-wave radar: presence only. Heart and breathing rates are health data (PIPL sensitive) and not collected.
  telemetry: [field('presence', 'Person present', '有人', '', 0, 1), RSSI],
  events: [
    event('fall.detected', 'Fall detected', '跌倒报警', { alert: alert('critical', 'safety') }),
    event('fall.recovered', 'Person got up', '已起身', { clears: 'fall.detected' }),
    event('fall.long_stay', 'Motionless too long', '长时间静止/滞留', { alert: alert('major', 'safety') }),
    DEVICE_FAULT,
  ],
  thresholds: [],
};

export const PARKING_BARRIER: DeviceTypeSpec = {
  code: 'parking_barrier',
  name: name('Parking barrier', '道闸'),
  power: 'mains',
  network: 'ethernet',
  heartbeatSeconds: 60,
  category: 'facility',
  offlineSeverity: 'minor',
  // No plate numbers: they are personal data and not needed for the barrier's health.
  telemetry: [field('armUp', 'Arm raised', '道闸抬起', '', 0, 1)],
  events: [
    event('barrier.fault', 'Barrier fault', '道闸故障', { alert: alert('major', 'facility') }),
    event('barrier.recovered', 'Barrier back in service', '道闸恢复', { clears: 'barrier.fault' }),
    event('barrier.forced', 'Barrier forced', '闯闸', { alert: alert('minor', 'facility') }),
    event('barrier.hit', 'Barrier arm hit', '道闸被撞', { alert: alert('major', 'facility') }),
  ],
  thresholds: [],
};
