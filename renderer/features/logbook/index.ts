export { logbookPages } from './pages';
export { LogbookView } from './LogbookView';
