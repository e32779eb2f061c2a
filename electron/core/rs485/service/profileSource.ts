/**
 * The register maps the bus service reads and writes by: the shipped ones and the technician's own in the data
 * folder, with the chosen variants. Loaded once and kept; reload() reads the files again (the maps page, a test).
 */
import { MODULE_TYPES, type ModuleType } from '../../../../shared/domain/rs485Profile';
import type { BusModule } from '../diagnosis';
import {
  loadProfileCatalog,
  readSelection,
  selectProfile,
  userProfilesDir,
  type ProfileCatalog,
  type VariantSelection,
} from '../profiles';

export type LoadedMaps = { catalog: ProfileCatalog; selection: VariantSelection };

export class ProfileSource {
  private loaded: Promise<LoadedMaps> | null = null;

  constructor(private readonly dirs: { dataDir: string; shippedDir: string }) {}

  get(): Promise<LoadedMaps> {
    if (this.loaded === null) {
      const userDir = userProfilesDir(this.dirs.dataDir);
      const loading = (async () => ({
        catalog: await loadProfileCatalog({ shippedDir: this.dirs.shippedDir, userDir }),
        selection: await readSelection(userDir),
      }))();
      // A failed load is not kept: the next question tries again.
      loading.catch(() => {
        if (this.loaded === loading) {
          this.loaded = null;
        }
      });
      this.loaded = loading;
    }
    return this.loaded;
  }

  reload(): Promise<LoadedMaps> {
    this.loaded = null;
    return this.get();
  }

  /**
   * The modules a bus is expected to hold: the ones named, or the four at the addresses their maps give, each with
   * the map chosen for its type.
   */
  async expectedModules(named?: readonly { type: ModuleType; address: number }[]): Promise<BusModule[]> {
    const { catalog, selection } = await this.get();
    if (named !== undefined) {
      return named.map(({ type, address }) => ({
        type,
        address,
        profile: selectProfile(catalog, type, selection).profile,
      }));
    }
    return MODULE_TYPES.map((type) => {
      const profile = selectProfile(catalog, type, selection).profile;
      return { type, address: profile.defaultAddress, profile };
    });
  }
}
