// The engine reads and writes records' sync state through lib/db (the state lives in the log's
// batch rows, so writing it is part of the batch commit): lib/db/syncState.ts.
export { allStates, loadStates, saveStates, statesByMarketoId } from '../db/syncState';
