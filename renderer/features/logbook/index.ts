export { LogbookPage } from './LogbookPage';
export { LogbookView } from './LogbookView';
export { ServiceRecordPage } from './ServiceRecordPage';
export { SiteReportPage } from './SiteReportPage';
