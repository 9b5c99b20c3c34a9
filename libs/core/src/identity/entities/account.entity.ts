import { Collection, Entity, ManyToOne, OneToMany, PrimaryKey, Property, Unique, Opt, Rel } from '@mikro-orm/core';
import { newId } from '../../shared/ids';
import { GridWorker } from '../../org/entities/grid-worker.entity';
import { PartyMember } from '../../org/entities/party-member.entity';
import { RoleAssignment } from './role-assignment.entity';

/** A person who logs in. The password is stored as a scrypt hash only. */
@Entity({ tableName: 'accounts' })
export class Account {
  @PrimaryKey({ type: 'uuid' })
  id: string = newId();

  @Property({ type: 'string', length: 64 })
  @Unique()
  username!: string;

  @Property({ type: 'string', length: 100 })
  displayName!: string;

  @Property({ type: 'string', length: 200, hidden: true, lazy: true })
  passwordHash!: string;

  @Property({ type: 'boolean' })
  active: Opt<boolean> = true;

  /** Set when this account is a grid worker on the roster. */
  @ManyToOne(() => GridWorker, { nullable: true, deleteRule: 'set null' })
  gridWorker?: Rel<GridWorker>;

  /** Set when this account represents a joint-meeting party. */
  @ManyToOne(() => PartyMember, { nullable: true, deleteRule: 'set null' })
  partyMember?: Rel<PartyMember>;

  @OneToMany(() => RoleAssignment, (r) => r.account)
  roles = new Collection<RoleAssignment>(this);

  @Property({ type: 'datetime', nullable: true })
  lastLoginAt?: Date;

  /** Tokens issued before this moment stop working (password change or reset). */
  @Property({ type: 'datetime' })
  credentialsChangedAt: Opt<Date> = new Date();

  @Property({ type: 'datetime' })
  createdAt: Opt<Date> = new Date();

  @Property({ type: 'datetime', onUpdate: () => new Date() })
  updatedAt: Opt<Date> = new Date();
}
