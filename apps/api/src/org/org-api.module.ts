import { Module } from '@nestjs/common';
import { OrgModule } from '@sc/core/org/org.module';
import { BuildingsController } from './buildings.controller';
import { CompoundsController } from './compounds.controller';
import { GridWorkersController } from './grid-workers.controller';
import { OrgImportController } from './org-import.controller';
import { OrgUnitsController } from './org-units.controller';
import { PartiesController } from './parties.controller';
import { PropertyCompaniesController } from './property-companies.controller';

/** HTTP routes of the org hierarchy. */
@Module({
  imports: [OrgModule],
  controllers: [
    OrgUnitsController,
    PropertyCompaniesController,
    CompoundsController,
    BuildingsController,
    GridWorkersController,
    PartiesController,
    OrgImportController,
  ],
})
export class OrgApiModule {}
