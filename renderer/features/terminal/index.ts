export { TerminalTab } from './TerminalTab';
export { SessionPage } from './SessionPage';
export { ConsoleRecords } from './ConsoleRecords';
