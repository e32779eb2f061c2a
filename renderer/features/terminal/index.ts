export { terminalPages } from './pages';
export { TerminalTab } from './TerminalTab';
export { ConsoleRecords } from './ConsoleRecords';
