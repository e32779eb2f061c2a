export { HostKeyPanel } from './HostKeyPanel';
