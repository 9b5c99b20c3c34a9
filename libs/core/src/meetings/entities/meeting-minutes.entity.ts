import { Entity, ManyToOne, PrimaryKey, Property, Unique, Opt, Rel } from '@mikro-orm/core';
import { newId } from '../../shared/ids';
import { MinutesStatus } from '../meeting-states';
import { Meeting } from './meeting.entity';

/**
 * One version of a meeting's minutes. Version 1 is generated and published at the close; a
 * correction is a new version with its reason. A published version never changes.
 */
@Entity({ tableName: 'meeting_minutes' })
@Unique({ name: 'meeting_minutes_version_unique', properties: ['meeting', 'version'] })
export class MeetingMinutes {
  @PrimaryKey({ type: 'uuid' })
  id: string = newId();

  @ManyToOne(() => Meeting, { deleteRule: 'cascade' })
  meeting!: Rel<Meeting>;

  @Property({ type: 'integer' })
  version!: number;

  @Property({ type: 'string', length: 16 })
  status: Opt<MinutesStatus> = 'published';

  @Property({ type: 'json' })
  content!: Record<string, unknown>;

  @Property({ type: 'text' })
  text!: string;

  /** Why this correction was made; empty for version 1. */
  @Property({ type: 'string', length: 1000, nullable: true })
  reason?: string;

  @Property({ type: 'datetime', nullable: true })
  publishedAt?: Date;

  @Property({ type: 'string', length: 100, nullable: true })
  authorName?: string;

  @Property({ type: 'datetime' })
  createdAt: Opt<Date> = new Date();

  @Property({ type: 'datetime', onUpdate: () => new Date() })
  updatedAt: Opt<Date> = new Date();
}
