import { readFileSync } from 'node:fs';
import { getDeviceType } from '@sc/core/devices/device-types.catalogue';
import { acceptedEventTypes, validateDevicePayload } from '@sc/core/devices/payload-validation';
import { parsePayload } from '@sc/messaging/mqtt/payloads';
import { CHANNEL_SCHEMAS, deviceTypeSchemas } from '@sc/messaging/mqtt/schemas';
import { Channel, CHANNELS, isChannel } from '@sc/messaging/mqtt/topics';
import { schemaErrors } from '@sc/testing/json-schema-subset';
import { CONTRACT_DOC, withGeneratedSections } from '../../scripts/gen-contract-tables';

const DOC = readFileSync(CONTRACT_DOC, 'utf8');
const KEY = 'a-test-pseudonym-key-of-at-least-32-characters';
/** The examples are dated 2025-03-01T08:00:00Z; the check runs as if it were then. */
const NOW = Date.parse('2025-03-01T08:00:00.000Z');

interface DocExample {
  channel: Channel;
  deviceType?: string;
  body: string;
}

/** Each `<!-- example: <channel> [deviceType] -->` marker and the code block that follows it. */
function examples(): DocExample[] {
  const found: DocExample[] = [];
  const marker = /<!-- example: (\S+)(?: (\S+))? -->\s*```\w*\n([\s\S]*?)\n```/g;
  for (const match of DOC.matchAll(marker)) {
    const [, channel, deviceType, body] = match;
    if (!isChannel(channel)) throw new Error(`example marker names an unknown channel ${channel}`);
    found.push({ channel, deviceType, body });
  }
  return found;
}

describe('docs/mqtt-contract.md', () => {
  it('holds the device-type and rejection tables as the code generates them today', () => {
    // When this fails, run: npm run docs:contract
    expect(withGeneratedSections(DOC)).toBe(DOC);
  });

  it('shows an example of every channel', () => {
    const shown = new Set(examples().map((e) => e.channel));
    expect([...shown].sort()).toEqual([...CHANNELS].sort());
  });

  it('shows only examples the ingest accepts, that fit the channel schema and the device type schema', () => {
    for (const example of examples()) {
      const where = `${example.channel} ${example.deviceType ?? ''}`.trim();
      const parsed = parsePayload({ siteId: 'HN-TJA-DS-JL', deviceId: 'example', channel: example.channel }, Buffer.from(example.body), NOW);
      expect({ where, parsed: parsed.ok ? 'ok' : parsed.detail }).toEqual({ where, parsed: 'ok' });
      if (!parsed.ok || parsed.payload.channel === 'status') {
        expect(schemaErrors(CHANNEL_SCHEMAS.status, example.body.trim())).toEqual([]);
        continue;
      }
      const json: unknown = JSON.parse(example.body);
      expect({ where, errors: schemaErrors(CHANNEL_SCHEMAS[example.channel as Exclude<Channel, 'status'>], json) }).toEqual({ where, errors: [] });
      const type = getDeviceType(example.deviceType ?? '');
      if (!type) throw new Error(`example ${where} must name a device type of the catalogue`);
      const validated = validateDevicePayload(type, parsed.payload, KEY);
      expect({ where, validated: validated.ok ? 'ok' : validated.detail }).toEqual({ where, validated: 'ok' });
      const schemas = deviceTypeSchemas({ ...type, events: acceptedEventTypes(type) });
      if (example.channel === 'telemetry') expect({ where, errors: schemaErrors(schemas.telemetry, json) }).toEqual({ where, errors: [] });
      if (example.channel === 'event') expect({ where, errors: schemaErrors(schemas.event, json) }).toEqual({ where, errors: [] });
    }
  });

  it('shows an access event whose subject the service pseudonymises', () => {
    const access = examples().find((e) => e.deviceType === 'access_controller');
    expect(access?.body).toContain('"subject"');
  });
});
