import { Injectable } from '@nestjs/common';
import { EntityManager } from '@mikro-orm/knex';
import { DeviceEventHandler, PresenceChange, StoredDeviceEvent } from './device-event-hook';

/**
 * The registry of rule hooks. A feature that wants stored events (the alerts issue) injects it
 * and registers its handler in `onModuleInit`; the ingest calls every handler, in registration
 * order, inside the transaction that stored the events.
 */
@Injectable()
export class DeviceEventHooks {
  private readonly handlers: DeviceEventHandler[] = [];

  /** Returns the unregistration (tests register a handler per suite). */
  register(handler: DeviceEventHandler): () => void {
    this.handlers.push(handler);
    return () => {
      const index = this.handlers.indexOf(handler);
      if (index >= 0) this.handlers.splice(index, 1);
    };
  }

  async emitEvents(events: readonly StoredDeviceEvent[], em: EntityManager): Promise<void> {
    if (events.length === 0) return;
    for (const handler of this.handlers) await handler.onEvents(events, em);
  }

  async emitPresence(changes: readonly PresenceChange[], em: EntityManager): Promise<void> {
    if (changes.length === 0) return;
    for (const handler of this.handlers) await handler.onPresence(changes, em);
  }
}
