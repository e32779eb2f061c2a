import type { CheckResult } from '../../../../shared/domain/health';
import type { Probe, ProbeOutput } from '../../transport/batch';
import { shellQuote } from '../../transport/transport';
import type { CheckModule, SweepContext } from '../checkModule';
import { judgeCpu, judgeDisk, judgeMemory } from './resourcesChecks';

const CPU = 'resources.cpu';
const MEMORY = 'resources.memory';
const DF = 'resources.df';
const DU = 'resources.du';

/** The install folder without a trailing slash, and its logs/ folder. */
function folders(installDir: string): { installDir: string; logsDir: string } {
  const dir = installDir.length > 1 ? installDir.replace(/\/+$/, '') : installDir;
  return { installDir: dir, logsDir: dir === '/' ? '/logs' : `${dir}/logs` };
}

function resourceProbes(installDir: string): Probe[] {
  const dirs = folders(installDir);
  return [
    // Two readings of the CPU counters half a second apart: the only wait of a healthy sweep. Taken once the
    // sweep's other probes are done, so that their own work is not read as the vehicle's load.
    {
      key: CPU,
      command: 'head -n 1 /proc/stat; cat /proc/loadavg; sleep 0.5; head -n 1 /proc/stat',
      timeoutS: 3,
      needsQuiet: true,
    },
    { key: MEMORY, command: 'cat /proc/meminfo', timeoutS: 2 },
    { key: DF, command: `df -P -k ${shellQuote(dirs.installDir)} ${shellQuote(dirs.logsDir)}`, timeoutS: 3 },
    { key: DU, command: `du -sk ${shellQuote(dirs.logsDir)}`, timeoutS: 5 },
  ];
}

/** OS resources as the runbook's daily checks and alert thresholds see them: CPU, memory, disk and log space. */
export const resourcesModule: CheckModule = {
  name: 'resources',
  checkIds: ['resources.cpu', 'resources.memory', 'resources.disk'],
  probes: ({ unit }) => resourceProbes(unit.profile.installDir),
  judge(context: SweepContext, outputs): CheckResult[] {
    // Probes were written from the unit's stored profile; judge against what was asked.
    const probes = new Map(resourceProbes(context.unit.profile.installDir).map((p) => [p.key, p]));
    const probed = (key: string): { probe: Probe | undefined; output: ProbeOutput | undefined } => ({
      probe: probes.get(key),
      output: outputs.get(key),
    });
    const { thresholds } = context;
    return [
      judgeCpu('resources.cpu', probed(CPU), thresholds.cpuPercent),
      judgeMemory('resources.memory', probed(MEMORY), thresholds.memoryPercent),
      judgeDisk(
        'resources.disk',
        { df: probed(DF), du: probed(DU), ...folders(context.unit.profile.installDir) },
        thresholds,
      ),
    ];
  },
};
