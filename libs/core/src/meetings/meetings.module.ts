import { Module } from '@nestjs/common';
import { DeliveryCoreModule } from '../delivery/delivery-core.module';
import { WorkOrdersModule } from '../work-orders/work-orders.module';
import { AgendaGenerator } from './agenda-generator';
import { AgendaService } from './agenda.service';
import { AttendanceService } from './attendance.service';
import { CompoundBoardService } from './compound-board.service';
import { DecisionsService } from './decisions.service';
import { MeetingCalendar } from './meeting-calendar.service';
import { MeetingNotices } from './meeting-notices';
import { MeetingReminders } from './meeting-reminders';
import { MeetingsService } from './meetings.service';
import { MinutesService } from './minutes.service';

const SERVICES = [MeetingsService, AgendaService, AttendanceService, DecisionsService, MinutesService, MeetingCalendar, CompoundBoardService, MeetingReminders];

/** Joint meetings (联席会议) and the owners' committee board. */
@Module({
  imports: [DeliveryCoreModule, WorkOrdersModule],
  providers: [...SERVICES, AgendaGenerator, MeetingNotices],
  exports: SERVICES,
})
export class MeetingsModule {}
