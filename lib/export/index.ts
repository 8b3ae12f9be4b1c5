// CSV exports of the log (design §4 lib/export). Pure: no DOM, no chrome.*; the page turns the
// parts into a Blob and downloads it.
export {
  csvLines,
  FAILURE_CSV_COLUMNS,
  type FailureCsvOptions,
  FORMULA_START,
  failureCsvFileName,
  failureCsvParts,
  failureCsvPartsOfBatches,
  failureCsvRow,
} from './failuresCsv';
export { recordUrl, salesforceObjectOf } from './recordUrl';
