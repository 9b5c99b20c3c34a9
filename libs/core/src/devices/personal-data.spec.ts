import { DEVICE_TYPES, getDeviceType } from './device-types.catalogue';
import { containsPersonalData, isPersonalKey, scrubPersonalText } from './personal-data';

describe('personal data in device payloads', () => {
  it('marks the access controller, and only device types with personal subjects, as carrying personal data', () => {
    const carriers = DEVICE_TYPES.filter(containsPersonalData).map((t) => t.code);
    expect(carriers).toEqual(['access_controller']);
    expect(containsPersonalData(getDeviceType('smoke')!)).toBe(false);
  });

  it('recognises personal keys whatever their case or separators', () => {
    for (const key of ['subject', 'Subject', 'card_no', 'cardNo', 'CARD-NUMBER', 'faceId', 'plateNumber', 'phone', 'name']) {
      expect({ key, personal: isPersonalKey(key) }).toEqual({ key, personal: true });
    }
    for (const key of ['method', 'door', 'direction', 'reason', 'floor']) {
      expect({ key, personal: isPersonalKey(key) }).toEqual({ key, personal: false });
    }
  });

  it('masks personal values in raw JSON text and keeps the rest', () => {
    const text = '{"msgId":"a1","ts":1700000000000,"type":"access.granted","data":{"subject":"3402119876","cardNo":3402119876,"method":"card"}}';
    const scrubbed = scrubPersonalText(text);
    expect(scrubbed).not.toContain('3402119876');
    expect(scrubbed).toContain('"method":"card"');
    expect(scrubbed).toContain('"msgId":"a1"');
  });

  it('masks a subject cut short by the excerpt limit', () => {
    const scrubbed = scrubPersonalText('{"type":"access.denied","data":{"subject":"34021198');
    expect(scrubbed).not.toContain('34021198');
  });

  it('cuts the text where a personal key holds an object or an array', () => {
    const scrubbed = scrubPersonalText('{"data":{"door":"east","subject":{"card":"998877","face":"x"},"after":"1"}}');
    expect(scrubbed).toContain('"door":"east"');
    expect(scrubbed).not.toContain('998877');
    expect(scrubbed).not.toContain('after');
  });
});
