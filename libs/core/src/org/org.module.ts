import { Module } from '@nestjs/common';
import { MikroOrmModule } from '@mikro-orm/nestjs';
import { Building } from './entities/building.entity';
import { Compound } from './entities/compound.entity';
import { GridWorker } from './entities/grid-worker.entity';
import { OrgUnit } from './entities/org-unit.entity';
import { Party } from './entities/party.entity';
import { PartyMember } from './entities/party-member.entity';
import { PropertyCompany } from './entities/property-company.entity';
import { BuildingsService } from './buildings.service';
import { CompoundsService } from './compounds.service';
import { GridWorkersService } from './grid-workers.service';
import { OrgImportService } from './org-import.service';
import { OrgUnitsService } from './org-units.service';
import { PartiesService } from './parties.service';
import { PropertyCompaniesService } from './property-companies.service';

const SERVICES = [
  OrgUnitsService,
  PropertyCompaniesService,
  CompoundsService,
  BuildingsService,
  GridWorkersService,
  PartiesService,
  OrgImportService,
];

/** The org hierarchy: units, companies, compounds, buildings, grid workers, joint-meeting parties. */
@Module({
  imports: [MikroOrmModule.forFeature([OrgUnit, PropertyCompany, Compound, Building, GridWorker, Party, PartyMember])],
  providers: SERVICES,
  exports: SERVICES,
})
export class OrgModule {}
