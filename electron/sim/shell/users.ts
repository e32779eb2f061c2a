import type { SimVehicle } from '../SimVehicle';

export type SimUser = { name: string; uid: number; home: string };

export const ROOT: SimUser = { name: 'root', uid: 0, home: '/root' };

/** The account a command runs as: root, or the login user (the service user `oht` lives in /opt/oht50). */
export function simUser(vehicle: SimVehicle, name: string): SimUser {
  if (name === 'root') {
    return ROOT;
  }
  return { name, uid: vehicle.state.access.loginUid, home: name === 'oht' ? '/opt/oht50' : `/home/${name}` };
}
