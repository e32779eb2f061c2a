import type { CheckModule } from '../checkModule';
import { apiModule } from './apiModule';
import { networkModule } from './networkModule';
import { resourcesModule } from './resourcesModule';
import { rs485Module } from './rs485Module';
import { servicesModule } from './servicesModule';

/** Every area a sweep covers, in the order the health tree shows them. */
export const CHECK_MODULES: readonly CheckModule[] = [
  servicesModule,
  apiModule,
  resourcesModule,
  networkModule,
  rs485Module,
];
