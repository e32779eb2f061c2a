import type { CheckModule } from '../checkModule';
import { apiModule } from './apiModule';
import { clockModule } from './clockModule';
import { databaseModule } from './databaseModule';
import { envFileModule } from './envFileModule';
import { failedUnitsModule } from './failedUnitsModule';
import { logsModule } from './logsModule';
import { networkModule } from './networkModule';
import { resourcesModule } from './resourcesModule';
import { rs485Module } from './rs485Module';
import { safetyModule } from './safetyModule';
import { servicesModule } from './servicesModule';

/** Every area a sweep covers, in the order the health tree shows them. */
export const CHECK_MODULES: readonly CheckModule[] = [
  servicesModule,
  failedUnitsModule,
  logsModule,
  apiModule,
  resourcesModule,
  networkModule,
  clockModule,
  safetyModule,
  rs485Module,
  databaseModule,
  envFileModule,
];
