import '../../styles/procedures.css';
export { LibraryPage } from './LibraryPage';
export { ProcedurePage } from './ProcedurePage';
export { RecoverPage } from './RecoverPage';
export { ReportPage } from './ReportPage';
export { RunPage } from './RunPage';
export { UnitRuns } from './UnitRuns';
