import { Global, Module } from '@nestjs/common';
import { ReferenceCache } from './reference-cache';

/** The reference-data cache, one per process, shared by routing, SLA terms and notifying. */
@Global()
@Module({
  providers: [ReferenceCache],
  exports: [ReferenceCache],
})
export class ReferenceCacheModule {}
