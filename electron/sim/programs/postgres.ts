import type { Program } from '../shell/program';

/**
 * pg_isready (postgresql-client 15): whether the server on -h/-p accepts connections, by its exit status (0 accepting,
 * 2 no response, 3 bad arguments). The simulated server is PostgreSQL's unit: it answers while that unit is active.
 */
export const pgIsready: Program = {
  path: '/usr/bin/pg_isready',
  run(args, c) {
    let host = '/var/run/postgresql';
    let port = '5432';
    for (let i = 0; i < args.length; i += 1) {
      const arg = args[i] ?? '';
      if (arg === '-h' || arg === '-p' || arg === '-U' || arg === '-d' || arg === '-t') {
        const value = args[++i] ?? '';
        host = arg === '-h' ? value : host;
        port = arg === '-p' ? value : port;
      } else if (arg !== '-q') {
        c.io.err(
          `pg_isready: invalid option -- '${arg.replace(/^-+/, '')}'\nTry "pg_isready --help" for more information.\n`,
        );
        return 3;
      }
    }
    const server = c.vehicle.state.otherUnits['postgresql.service'];
    const accepting = server !== undefined && server.activeState === 'active';
    const where = `${host}:${port}`;
    if (!args.includes('-q')) {
      c.io.out(`${where} - ${accepting ? 'accepting connections' : 'no response'}\n`);
    }
    return accepting ? 0 : 2;
  },
};
