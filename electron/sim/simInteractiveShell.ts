import type { ServerChannel } from 'ssh2';

import { answerCommand } from './commands';
import type { SimVehicle } from './SimVehicle';

/*
 * The login shell of a simulated vehicle, for the Terminal tab and `ohtw shell`: with a terminal, a prompt and a
 * line editor (echo, backspace, Ctrl-C, Ctrl-D), each line run as the vehicle's sh runs a command; without one, the
 * input is a script, run line by line, and the shell exits with the last status when the input ends.
 */

// eslint-disable-next-line no-control-regex -- a key's escape sequence starts with ESC
const ESCAPE_SEQUENCE = /^\u001b(\[[0-?]*[ -/]*[@-~]|O.|.)?/;

export type SimShellOptions = { vehicle: SimVehicle; user: string; interactive: boolean };

export function startSimShell(channel: ServerChannel, options: SimShellOptions): void {
  const { vehicle, user, interactive } = options;
  const prompt = (): string => `${user}@${vehicle.state.system.hostname}:~$ `;
  let line = '';
  let status = 0;
  let ended = false;

  const write = (text: string): void => {
    if (!ended) {
      channel.write(interactive ? text.replace(/\r?\n/g, '\r\n') : text);
    }
  };
  const end = (code: number): void => {
    if (ended) {
      return;
    }
    ended = true;
    channel.exit(code);
    channel.end();
  };
  const run = (command: string): void => {
    const text = command.trim();
    const exit = /^exit(?:\s+(\d+))?$/.exec(text);
    if (exit) {
      if (interactive) {
        write('logout\n');
      }
      end(exit[1] === undefined ? status : Number(exit[1]) & 0xff);
      return;
    }
    if (text === 'clear') {
      write('\u001b[H\u001b[2J');
    } else if (text !== '') {
      const result = answerCommand(vehicle, text, { name: user });
      write(result.stdout + result.stderr);
      status = result.exitCode;
    }
    if (interactive) {
      write(prompt());
    }
  };

  const onKey = (data: string): void => {
    let rest = data;
    while (rest !== '' && !ended) {
      const escape = ESCAPE_SEQUENCE.exec(rest);
      if (escape) {
        // Arrows and function keys: this line editor has no history or cursor movement.
        rest = rest.slice(escape[0].length);
        continue;
      }
      const key = rest[0] ?? '';
      rest = rest.slice(1);
      if (key === '\r' || key === '\n') {
        write('\r\n');
        const command = line;
        line = '';
        run(command);
      } else if (key === '\u007f' || key === '\b') {
        if (line !== '') {
          line = line.slice(0, -1);
          write('\b \b');
        }
      } else if (key === '\u0003') {
        line = '';
        status = 130;
        write(`^C\r\n${prompt()}`);
      } else if (key === '\u0004' && line === '') {
        write('logout\r\n');
        end(status);
      } else if (key >= ' ' || key === '\t') {
        line += key;
        write(key);
      }
    }
  };

  const onScript = (data: string): void => {
    line += data;
    const lines = line.split('\n');
    line = lines.pop() ?? '';
    for (const command of lines) {
      if (!ended) {
        run(command);
      }
    }
  };

  channel.on('data', (chunk: Buffer) => (interactive ? onKey : onScript)(chunk.toString('utf8')));
  channel.on('end', () => {
    if (!interactive && line !== '') {
      run(line);
    }
    end(status);
  });
  if (interactive) {
    write(`Simulated OHT-50 unit ${vehicle.name}. Commands run as on the vehicle's sh; "exit" ends the session.\n`);
    write(prompt());
  }
}
