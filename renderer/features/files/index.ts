export { FilesTab } from './FilesTab';
