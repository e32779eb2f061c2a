import type { CheckModule } from '../checkModule';
import { networkModule } from './networkModule';
import { resourcesModule } from './resourcesModule';
import { servicesModule } from './servicesModule';

/** Every area a sweep covers, in the order the health tree shows them. */
export const CHECK_MODULES: readonly CheckModule[] = [servicesModule, resourcesModule, networkModule];
